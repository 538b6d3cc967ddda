package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.ConsoleSeries;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** webhook-server.jar and bot-worker.jar (BOT_ROLE=worker) as two JVMs on a clustered event bus. */
@ExtendWith(VertxExtension.class)
class TwoProcessDeliveryTest {

  @Test
  void thousandUpdatesOverFiftyChatsCrossTheClusterExactlyOnceInChatOrder(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("two-process");
    ClusterEnv env = ClusterEnv.create(fake.baseUrl(), dir);

    try (JvmProcess worker = JvmProcess.start("worker", JvmProcess.workerJar(), env.worker(), dir);
         JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), env.edge(), dir)) {
      // Ready only once the edge reaches a worker consumer over the clustered event bus.
      edge.awaitHttp(env.edgeReadyUrl(), 200, Duration.ofSeconds(90));
      // The worker's ops console reads the edge over the cluster: a baseline of its counters before the updates.
      Poll.until(() -> ConsoleSeries.hasValue(ConsoleSeries.get(env.workerPort(), null), "acked_per_second"),
          Duration.ofSeconds(30), () -> "the worker's console never read the edge's figures");

      List<JsonObject> updates = Updates.echoes(20_000, 1000, 50, 9_000_000);
      WebhookDeliverer.telegram(env.edgePort(), TestEnv.WEBHOOK_SECRET)
          .deliverAll(updates, Duration.ofSeconds(120));
      fake.awaitCalls("sendMessage", 1000, Duration.ofSeconds(60));
      Thread.sleep(500);

      Replies.assertExactlyOnceInOrder(fake, updates);
      consoleShowsTheEdge(env.workerPort());
      for (JvmProcess p : List.of(edge, worker)) {
        assertFalse(p.output().contains(TestEnv.TOKEN_SECRET_PART), p + ": the bot token appeared in its log");
        assertFalse(p.output().contains(TestEnv.WEBHOOK_SECRET), p + ": the webhook secret appeared in its log");
      }
    }
  }

  /** The console on the worker's port has the edge's figures and health, asked over the cluster's event bus. */
  private static void consoleShowsTheEdge(int workerPort) throws Exception {
    JsonObject[] series = new JsonObject[1];
    Poll.until(() -> {
      series[0] = ConsoleSeries.get(workerPort, null);
      return ConsoleSeries.sum(series[0], "acked_per_second") > 0 && ConsoleSeries.hasValue(series[0], "ack_p99_ms")
          && ConsoleSeries.hasValue(series[0], "handler_p99_ms");
    }, Duration.ofSeconds(30), () -> "no interval with the updates in it: " + series[0]);
    JsonObject overview = Http.get(workerPort, "/console/api/overview").json();
    assertEquals(true, overview.getJsonObject("rollout").getBoolean("reachable"), overview.encode());
    JsonObject health = overview.getJsonObject("health");
    assertEquals("edge", health.getString("source"), overview.encode());
    assertEquals("UP", health.getJsonObject("services").getJsonObject("edge").getString("status"), overview.encode());
    assertEquals("UP", health.getJsonObject("services").getJsonObject("worker").getString("status"), overview.encode());
  }
}
