package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.splitbot.tests.fakes.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.TelegramDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** webhook-server.jar and bot-worker.jar (BOT_ROLE=worker) as two JVMs on a clustered event bus. */
@ExtendWith(VertxExtension.class)
class TwoProcessDeliveryTest {

  /** Environment for an edge and a worker that find each other over Hazelcast TCP-IP on 127.0.0.1. */
  static Map<String, Map<String, String>> clusterEnv(String apiUrl, Path dir) {
    int edgeCluster = TestEnv.freePort();
    int workerCluster = TestEnv.freePort();
    String members = "127.0.0.1:" + edgeCluster + ",127.0.0.1:" + workerCluster;

    Map<String, String> edge = TestEnv.webhookEnv(apiUrl, dir.resolve("edge"));
    edge.put("CLUSTER_PORT", String.valueOf(edgeCluster));
    edge.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    edge.put("CLUSTER_MEMBERS", members);

    Map<String, String> worker = TestEnv.webhookEnv(apiUrl, dir.resolve("worker"));
    worker.put("BOT_ROLE", "worker");
    worker.put("CLUSTER_PORT", String.valueOf(workerCluster));
    worker.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    worker.put("CLUSTER_MEMBERS", members);
    return Map.of("edge", edge, "worker", worker);
  }

  @Test
  void thousandUpdatesOverFiftyChatsCrossTheClusterExactlyOnceInChatOrder(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("two-process");
    Map<String, Map<String, String>> env = clusterEnv(fake.baseUrl(), dir);
    Map<String, String> edgeEnv = new HashMap<>(env.get("edge"));

    try (JvmProcess worker = JvmProcess.start("worker", JvmProcess.workerJar(), env.get("worker"), dir);
         JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), edgeEnv, dir)) {
      // Ready only once the edge reaches a worker consumer over the clustered event bus.
      edge.awaitHttp("http://127.0.0.1:" + edgeEnv.get("PORT") + "/health/ready", 200, Duration.ofSeconds(90));

      List<JsonObject> updates = Updates.echoes(20_000, 1000, 50, 9_000_000);
      new TelegramDeliverer(Integer.parseInt(edgeEnv.get("PORT")), TestEnv.WEBHOOK_SECRET)
          .deliverAll(updates, Duration.ofSeconds(120));
      fake.awaitCalls("sendMessage", 1000, Duration.ofSeconds(60));
      Thread.sleep(500);

      Replies.assertExactlyOnceInOrder(fake, updates);
      for (JvmProcess p : List.of(edge, worker)) {
        assertFalse(p.output().contains(TestEnv.TOKEN_SECRET_PART), p + ": the bot token appeared in its log");
        assertFalse(p.output().contains(TestEnv.WEBHOOK_SECRET), p + ": the webhook secret appeared in its log");
      }
    }
  }
}
