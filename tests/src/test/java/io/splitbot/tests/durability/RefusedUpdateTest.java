package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The edge as webhook-server.jar and a worker that refuses one update, clustered, sharing one Redis for the dead
 * letters as on Render: the refused update spends its budget and lands in the edge's dead letters, its chat moves on,
 * 300 other chats are delivered, the letter shows in /health/services, /monitoring/webhook/stats and both jars'
 * {@code dead-letters list}, and {@code bot-worker.jar dead-letters replay} delivers it once the worker takes it.
 */
@ExtendWith(VertxExtension.class)
class RefusedUpdateTest {
  private static final long REFUSED = 31_000;
  private static final long REFUSED_CHAT = 8_999_999;

  @Test
  void aRefusedUpdateBecomesAnEdgeDeadLetterWhileOtherChatsAreDeliveredAndReplayDeliversIt(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("refused-update");
    Path refuseWhile = Files.createFile(dir.resolve("refuse"));
    try (RedisServerProcess redis = new RedisServerProcess(dir).start()) {
      ClusterEnv env = ClusterEnv.create(fake.baseUrl(), dir);
      // The spool and the dead letters in Redis, shared with the worker and the CLI; the test waits for the spool's
      // depth to reach 0, which it must however the scripts' answers come back.
      env.edge().put("REDIS_URL", redis.url());
      env.edge().put("SPOOL", "redis");
      env.edge().put("FORWARD_MAX_ATTEMPTS", "3");
      env.worker().put("REDIS_URL", redis.url());
      env.worker().put("REFUSE_UPDATE_ID", String.valueOf(REFUSED));
      env.worker().put("REFUSE_WHILE", refuseWhile.toString());
      Map<String, String> cliEnv = Map.of("REDIS_URL", redis.url(), "DATA_DIR", dir.resolve("cli").toString());
      int edgePort = env.edgePort();
      int workerPort = Integer.parseInt(env.worker().get("WORKER_PORT"));

      try (JvmProcess worker = JvmProcess.startMain("refusing-worker", RefusingWorkerApp.class, env.worker(), dir);
           JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), env.edge(), dir)) {
        edge.awaitHttp(env.edgeReadyUrl(), 200, Duration.ofSeconds(90));

        List<JsonObject> others = Updates.echoes(30_000, 300, 300, 8_000_000);
        List<JsonObject> updates = new ArrayList<>(others);
        updates.add(Updates.message(REFUSED, REFUSED_CHAT, "/echo refused"));
        updates.add(Updates.message(REFUSED + 1, REFUSED_CHAT, "/echo after"));
        WebhookDeliverer.telegram(edgePort, TestEnv.WEBHOOK_SECRET).deliverAll(updates, Duration.ofSeconds(120));

        // The 300 other chats, and the refused chat's next update: nothing waits behind the refused one.
        fake.awaitCalls("sendMessage", 301, Duration.ofSeconds(90));
        List<String> texts = texts(fake);
        for (JsonObject u : others) {
          assertTrue(texts.contains("u" + u.getLong("update_id")), "answered: " + u.getLong("update_id"));
        }
        assertTrue(texts.contains("after"), "the refused chat moved on");
        assertFalse(texts.contains("refused"));

        // Visible where an operator looks: the edge's public health (a count, and still 200), the worker's stats.
        JsonObject services = await(() -> {
          Http.Answer a = Http.get(edgePort, "/health/services");
          JsonObject letters = a.json().getJsonObject("services").getJsonObject("edge").getJsonObject("dead_letters");
          return letters != null && Integer.valueOf(1).equals(letters.getInteger("count")) && a.status() == 200 ? a.json() : null;
        });
        assertFalse(services.encode().contains(redis.url()), "the public answer names no host");
        // The last replies may still be on their way back to the edge, which then empties its spool.
        JsonObject stats = await(() -> {
          JsonObject s = Http.get(workerPort, "/monitoring/webhook/stats").json();
          return Integer.valueOf(0).equals(s.getInteger("spool_depth")) ? s : null;
        });
        assertEquals(1, stats.getJsonObject("dead_letters").getJsonObject("edge").getInteger("count"), stats.encodePrettily());
        assertEquals(0, stats.getJsonObject("dead_letters").getJsonObject("worker").getInteger("count"));
        assertEquals(1, stats.getJsonObject("totals").getLong("dead_lettered"));
        assertEquals(1, stats.getJsonObject("edge").getJsonObject("totals").getLong("dead_lettered"));
        // Within its budget: exactly FORWARD_MAX_ATTEMPTS deliveries reached the worker, then none.
        assertEquals(3, refusals(worker), worker.output());

        JvmProcess list = JvmProcess.start("cli-list", JvmProcess.workerJar(), cliEnv, dir, "dead-letters", "list");
        assertEquals(0, list.waitForExit(Duration.ofSeconds(30)), list.output());
        String row = list.output().lines().filter(l -> l.startsWith(REFUSED + " ")).findFirst().orElse("");
        assertTrue(row.contains(" edge ") && row.contains(" " + REFUSED_CHAT + " ") && row.contains("refused it (400)"), list.output());
        assertTrue(row.matches(".* 3 +\\S+ .*"), "three attempts: " + row);
        JvmProcess edgeList = JvmProcess.start("edge-cli-list", JvmProcess.edgeJar(), cliEnv, dir, "dead-letters", "list");
        assertEquals(0, edgeList.waitForExit(Duration.ofSeconds(30)), edgeList.output());
        assertTrue(edgeList.output().lines().anyMatch(l -> l.startsWith(REFUSED + " ") && l.contains(" edge ")), edgeList.output());

        // The worker is fixed; the replay goes through the edge, with a fresh budget, and is answered.
        Files.delete(refuseWhile);
        JvmProcess replay = JvmProcess.start("cli-replay", JvmProcess.workerJar(), cliEnv, dir,
            "dead-letters", "replay", String.valueOf(REFUSED), "--wait", "60");
        assertEquals(0, replay.waitForExit(Duration.ofSeconds(90)), replay.output());
        assertTrue(replay.output().contains("replayed and delivered"), replay.output());
        fake.awaitCalls("sendMessage", 302, Duration.ofSeconds(30));
        assertTrue(texts(fake).contains("refused"));

        JvmProcess empty = JvmProcess.start("cli-list-again", JvmProcess.workerJar(), cliEnv, dir, "dead-letters", "list");
        assertEquals(0, empty.waitForExit(Duration.ofSeconds(30)), empty.output());
        assertTrue(empty.output().contains("No dead letters."), empty.output());
        assertEquals(3, refusals(worker), "the replay was not refused");
      }
    }
  }

  private static long refusals(JvmProcess worker) {
    return worker.output().lines().filter(l -> l.equals(RefusingWorkerApp.REFUSED_LINE + REFUSED)).count();
  }

  private static List<String> texts(FakeTelegramApi fake) {
    return fake.calls("sendMessage").stream().map(c -> c.params().getString("text")).toList();
  }

  /** Polls until {@code probe} gives a value (not null), for up to 30 s. */
  private static <T> T await(Callable<T> probe) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      T value = probe.call();
      if (value != null) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s");
      }
      Thread.sleep(100);
    }
  }
}
