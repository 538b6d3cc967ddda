package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.WorkerConfig;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.desk.DeskModule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TELEGRAM_MODE=polling: getUpdates feeds the same pipeline, and the confirmed offset never skips unfinished work. */
@ExtendWith(VertxExtension.class)
class PollingDeliveryTest {

  @Test
  void fiveHundredQueuedUpdatesAreAnsweredOnceAndOffsetsNeverPassUnhandledOnes(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    List<JsonObject> updates = Updates.echoes(500_000, 500, 25, 8_000_000);
    updates.forEach(fake::enqueueUpdate);

    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("polling"));
    env.put("TELEGRAM_MODE", "polling");
    env.remove("TELEGRAM_WEBHOOK_SECRET");
    WorkerConfig config = WorkerConfig.fromEnv(env);
    SplitbotApp.deploy(vertx, config, new DeskModule()).await();

    fake.awaitCalls("sendMessage", 500, Duration.ofSeconds(60));
    Thread.sleep(500);
    Replies.assertExactlyOnceInOrder(fake, updates);
    assertTrue(fake.calls("deleteWebhook").size() >= 1, "polling starts by deleting the webhook");

    Map<Long, Long> repliedAt = new HashMap<>();
    for (FakeTelegramApi.RecordedCall call : fake.calls("sendMessage")) {
      repliedAt.put(Long.parseLong(call.params().getString("text").substring(1)), call.atNanos());
    }
    int checked = 0;
    for (FakeTelegramApi.RecordedCall poll : fake.allCalls("getUpdates")) {
      long offset = poll.params().getLong("offset", 0L);
      assertEquals(50, poll.params().getInteger("timeout").intValue(), "long-poll timeout");
      for (JsonObject u : updates) {
        long id = u.getLong("update_id");
        if (id < offset) {
          Long at = repliedAt.get(id);
          assertTrue(at != null && at <= poll.atNanos(), "offset " + offset + " confirmed update " + id + " before it was handled");
          checked++;
        }
      }
    }
    assertTrue(checked > 0, "some offsets were confirmed");
  }
}
