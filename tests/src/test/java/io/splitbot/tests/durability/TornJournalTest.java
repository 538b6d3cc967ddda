package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A crash in the middle of writing the journal's last record costs that record only. */
@ExtendWith(VertxExtension.class)
class TornJournalTest {

  @Test
  void aTornLastRecordIsSkippedWithALogLineAndEverythingBeforeItIsHandled(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("torn");
    ClusterEnv env = ClusterEnv.create(fake.baseUrl(), dir);
    List<JsonObject> updates = Updates.echoes(300_000, 50, 5, 13_000_000);

    // The edge alone: it acks into its spool, and no worker takes anything out.
    try (JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), env.edge(), dir)) {
      edge.awaitHttp("http://127.0.0.1:" + env.edgePort() + "/health/live", 200, Duration.ofSeconds(60));
      WebhookDeliverer telegram = WebhookDeliverer.telegram(env.edgePort(), TestEnv.WEBHOOK_SECRET);
      for (JsonObject u : updates) {
        telegram.deliver(u, System.nanoTime() + Duration.ofSeconds(10).toNanos());
      }
      edge.kill();
    }

    Path journal = Path.of(env.edge().get("DATA_DIR"), "spool", "journal.log");
    long size = Files.size(journal);
    try (RandomAccessFile file = new RandomAccessFile(journal.toFile(), "rw")) {
      file.setLength(size - 20); // the last record is an update of ~250 bytes: cut it in the middle
    }

    // The all-in-one bot on the same DATA_DIR replays the spool into its worker.
    Map<String, String> all = TestEnv.webhookEnv(fake.baseUrl(), Path.of(env.edge().get("DATA_DIR")));
    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), all, dir)) {
      fake.awaitCalls("sendMessage", 49, Duration.ofSeconds(60));
      Thread.sleep(1000);
      Replies.assertExactlyOnceInOrder(fake, updates.subList(0, 49));
      assertEquals(49, fake.calls("sendMessage").size(), "only the torn record is missing");
      String torn = bot.output().lines().filter(l -> l.contains("journal.log") && l.contains("WARN")).findFirst().orElse("");
      assertTrue(!torn.isEmpty(), "a log line names the torn journal:\n" + bot.output());
      System.out.println("[torn] " + torn);

      // That record was never acknowledged in a real crash, so Telegram sends it again, and it is handled.
      WebhookDeliverer.telegram(Integer.parseInt(all.get("PORT")), TestEnv.WEBHOOK_SECRET)
          .deliverAll(updates.subList(49, 50), Duration.ofSeconds(10));
      fake.awaitCalls("sendMessage", 50, Duration.ofSeconds(10));
      Replies.assertExactlyOnceInOrder(fake, updates);
    }
  }
}
