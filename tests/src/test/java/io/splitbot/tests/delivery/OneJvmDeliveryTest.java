package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.splitbot.worker.WorkerConfig;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.LogCapture;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.desk.DeskModule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** BOT_ROLE=all: the edge and the worker in one JVM on the local event bus. */
@ExtendWith(VertxExtension.class)
class OneJvmDeliveryTest {

  @Test
  void thousandUpdatesOverFiftyChatsAreAnsweredExactlyOnceInChatOrder(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    try (LogCapture logs = LogCapture.attach()) {
      WorkerConfig config = WorkerConfig.fromEnv(TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("one-jvm")));
      SplitbotApp app = SplitbotApp.deploy(vertx, config, new DeskModule()).await();

      List<JsonObject> updates = Updates.echoes(10_000, 1000, 50, 7_000_000);
      WebhookDeliverer telegram = WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET);
      telegram.deliverAll(updates, Duration.ofSeconds(120));
      fake.awaitCalls("sendMessage", 1000, Duration.ofSeconds(60));
      Thread.sleep(500); // a duplicate would show up now

      Replies.assertExactlyOnceInOrder(fake, updates);
      assertEquals(1000, app.worker().stats().handled.get());
      assertEquals(0, app.edge().spool().size(), "every handled update leaves the spool");
      assertFalse(logs.all().contains(TestEnv.TOKEN_SECRET_PART), "the bot token appeared in a log line");
      assertFalse(logs.all().contains(TestEnv.WEBHOOK_SECRET), "the webhook secret appeared in a log line");
    }
  }
}
