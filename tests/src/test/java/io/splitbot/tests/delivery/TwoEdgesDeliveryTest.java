package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
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

/**
 * Two webhook-server.jar on one Redis spool (SPOOL=redis) and one worker, three JVMs on the cluster: each chat's
 * updates go to the edges in turn, as Telegram's connections may, and each is handled once, in the chat's order.
 * Killing one edge right after it acked loses nothing: the other takes its partitions over and delivers them.
 */
@ExtendWith(VertxExtension.class)
class TwoEdgesDeliveryTest {

  @Test
  void aChatsUpdatesTakenByTwoEdgesAreHandledOnceInOrderAndAKilledEdgesAreDeliveredByTheOther(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("two-edges");
    ClusterEnv env = ClusterEnv.create(fake.baseUrl(), dir);
    Map<String, String> first = env.edge();
    Map<String, String> second = new HashMap<>(first);
    second.put("PORT", String.valueOf(TestEnv.freePort()));
    second.put("DATA_DIR", dir.resolve("edge2").toString());
    int secondCluster = TestEnv.freePort();
    second.put("CLUSTER_PORT", String.valueOf(secondCluster));
    second.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    String members = first.get("CLUSTER_MEMBERS") + ",127.0.0.1:" + secondCluster;
    // A slow worker, so the killed edge leaves acked updates in its partitions.
    env.worker().put("TELEGRAM_GLOBAL_RATE", "40");

    try (RedisServerProcess redis = new RedisServerProcess(dir).start()) {
      for (Map<String, String> service : List.of(first, second, env.worker())) {
        service.put("CLUSTER_MEMBERS", members);
        service.put("REDIS_URL", redis.url());
        service.put("SPOOL", "redis");
        // Three JVMs starting on two cores can leave a Redis answer unread past the default 2 s.
        service.put("REDIS_COMMAND_TIMEOUT_MS", "10000");
      }
      try (JvmProcess worker = JvmProcess.start("worker", JvmProcess.workerJar(), env.worker(), dir);
           JvmProcess edge1 = JvmProcess.start("edge1", JvmProcess.edgeJar(), first, dir);
           JvmProcess edge2 = JvmProcess.start("edge2", JvmProcess.edgeJar(), second, dir)) {
        edge1.awaitHttp(ready(first), 200, Duration.ofSeconds(90));
        edge2.awaitHttp(ready(second), 200, Duration.ofSeconds(90));
        List<WebhookDeliverer> edges = List.of(WebhookDeliverer.telegram(port(first), TestEnv.WEBHOOK_SECRET),
            WebhookDeliverer.telegram(port(second), TestEnv.WEBHOOK_SECRET));

        List<JsonObject> updates = Updates.echoes(500_000, 800, 8, 15_000_000);
        deliverInTurns(edges, updates.subList(0, 400));
        fake.awaitCalls("sendMessage", 400, Duration.ofSeconds(120));
        Replies.assertExactlyOnceInOrder(fake, updates.subList(0, 400));

        deliverInTurns(edges, updates.subList(400, 800));
        int repliedAtKill = fake.calls("sendMessage").size();
        edge1.kill();
        int survivorLogAtKill = edge2.output().length();
        System.out.println("[two-edges] edge1 killed with " + repliedAtKill + " of 800 replies sent");
        assertTrue(repliedAtKill < 800, "acked updates were still in the spool when the edge died: " + repliedAtKill);
        fake.awaitCalls("sendMessage", 800, Duration.ofSeconds(120));
        Thread.sleep(1000);
        Replies.assertExactlyOnceInOrder(fake, updates);
        assertEquals(800, edges.get(0).acked.size() + edges.get(1).acked.size());
        assertTrue(edge2.output().substring(survivorLogAtKill).contains("forwarding it"),
            "the survivor took the killed edge's partitions over: " + edge2.output());
      }
    }
  }

  /** Telegram's way: a chat's next update once the previous one is acked, here by the other edge each time. */
  private static void deliverInTurns(List<WebhookDeliverer> edges, List<JsonObject> updates) throws Exception {
    Map<Long, Integer> turns = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (JsonObject update : updates) {
      long chat = update.getJsonObject("message").getJsonObject("chat").getLong("id");
      int turn = turns.merge(chat, 1, Integer::sum);
      edges.get(turn % 2).deliver(update, deadline);
    }
  }

  private static int port(Map<String, String> edge) {
    return Integer.parseInt(edge.get("PORT"));
  }

  private static String ready(Map<String, String> edge) {
    return "http://127.0.0.1:" + port(edge) + "/health/ready";
  }
}
