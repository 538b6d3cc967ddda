package io.splitbot.tests.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.edge.platform.max.MaxUpdates;
import io.splitbot.testkit.FakeMaxApi;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With MAX_WEBHOOK_PUBLIC_URL set, the edge subscribes its webhook at start, and keeps trying while MAX refuses. */
class MaxWebhookRegistrationTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theEdgeSubscribesItsWebhookWithTheSecretAndEveryUpdateTypeRetryingWhileMaxIsAway() {
    FakeMaxApi max = new FakeMaxApi(vertx, MaxDeliveryTest.MAX_TOKEN);
    max.start().await();
    max.failNext("POST /subscriptions", 503, 1);
    Map<String, String> env = Map.of(
        "MAX_BOT_TOKEN", MaxDeliveryTest.MAX_TOKEN,
        "MAX_API_URL", max.baseUrl(),
        "MAX_MODE", "webhook",
        "MAX_WEBHOOK_SECRET", MaxDeliveryTest.MAX_SECRET,
        "MAX_WEBHOOK_PUBLIC_URL", "https://bot.example.com/",
        "PORT", "0",
        "WORKER_PORT", "0",
        "DATA_DIR", TestEnv.tempDir("max-subscribe").toString());
    SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), context -> new Bot()).await();

    max.await(() -> !max.subscriptions().isEmpty(), Duration.ofSeconds(30), () -> "the edge never subscribed");
    List<JsonObject> subscriptions = max.subscriptions();
    assertEquals(1, subscriptions.size());
    JsonObject subscription = subscriptions.get(0);
    assertEquals("https://bot.example.com/webhook/max", subscription.getString("url"));
    assertEquals(MaxDeliveryTest.MAX_SECRET, subscription.getString("secret"));
    assertEquals(new JsonArray(MaxUpdates.UPDATE_TYPES), subscription.getJsonArray("update_types"));
    assertTrue(max.allCalls().stream().filter(c -> c.route().equals("POST /subscriptions")).count() >= 2,
        "the refused first call was tried again");
  }
}
