package io.splitbot.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.cluster.Refusal;
import io.splitbot.testkit.ClusterCertificates;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.MemberList;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several edges and workers on one cluster (docs/SCALING.md, section 4 and "Operations"). With Redis, two edges and
 * two workers run side by side; a worker without REDIS_URL and an edge with SPOOL=file are refused at start with
 * their one line and a non-zero exit while the others keep running. /health/services lists every member in its role,
 * and /monitoring/webhook/stats adds up both edges' counters and lists each. One cluster serves every case: a
 * clustered JVM takes seconds to start.
 */
@ExtendWith(VertxExtension.class)
class SeveralEdgesAndWorkersTest {
  /** A database of its own on the shared Redis: the spool's keys are fixed, so other tests' edges must not see these. */
  private static final String REDIS_URL = "redis://127.0.0.1:6379/11";
  private static final int SLOTS = 6;

  private final List<Integer> clusterPorts = IntStream.range(0, SLOTS).mapToObj(i -> TestEnv.freePort()).toList();
  private int next;

  @Test
  void withRedisSeveralRunSideBySideAndWithoutItASecondIsRefused(Vertx vertx) throws Exception {
    RedisAPI.api(Redis.createClient(vertx, REDIS_URL)).flushdb(List.of()).await();
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("several");

    Map<String, String> edgeA = shared(member(fake, dir, "edge-a", false));
    Map<String, String> edgeB = shared(member(fake, dir, "edge-b", false));
    Map<String, String> workerA = shared(member(fake, dir, "worker-a", true));
    try (JvmProcess firstWorker = JvmProcess.start("worker-a", JvmProcess.workerJar(), workerA, dir);
         JvmProcess firstEdge = JvmProcess.start("edge-a", JvmProcess.edgeJar(), edgeA, dir);
         JvmProcess secondEdge = JvmProcess.start("edge-b", JvmProcess.edgeJar(), edgeB, dir)) {
      firstEdge.awaitHttp(readyUrl(edgeA), 200, Duration.ofSeconds(120));
      secondEdge.awaitHttp(readyUrl(edgeB), 200, Duration.ofSeconds(120));

      // Without shared state, a second of the role stops at start with its one line; the first ones go on.
      Map<String, String> loneWorker = member(fake, dir, "worker-alone", true);
      assertRefused("worker-alone", JvmProcess.workerJar(), loneWorker, dir, Refusal.WORKER_LINE);
      Map<String, String> fileEdge = member(fake, dir, "edge-file", false);
      fileEdge.put("SPOOL", "file");
      assertRefused("edge-file", JvmProcess.edgeJar(), fileEdge, dir, Refusal.EDGE_LINE);
      assertTrue(firstWorker.alive() && firstEdge.alive() && secondEdge.alive(), "the first ones keep running");

      // With Redis, a second worker runs beside the first.
      Map<String, String> workerB = shared(member(fake, dir, "worker-b", true));
      try (JvmProcess secondWorker = JvmProcess.start("worker-b", JvmProcess.workerJar(), workerB, dir)) {
        int workerPort = Integer.parseInt(workerA.get("WORKER_PORT"));
        AtomicReference<JsonArray> members = new AtomicReference<>(new JsonArray());
        Poll.until(() -> {
          members.set(listed(edgeA));
          return MemberList.nodes(members.get(), "worker").size() == 2 && MemberList.nodes(members.get(), "edge").size() == 2;
        }, Duration.ofSeconds(120), () -> "not two edges and two workers in /health/services: " + members.get().encode()
            + "\n" + secondWorker.output());
        for (Object o : members.get()) {
          JsonObject m = (JsonObject) o;
          assertTrue(m.getInteger("in_flight") >= 0 && m.getString("last_seen") != null && m.getBoolean("shared"), m.encode());
        }
        assertTrue(!members.get().encode().contains("127.0.0.1") && !members.get().encode().contains(dir.toString()),
            "no address or path: " + members.get().encode());

        // 12 updates to one edge and 7 to the other: the worker's stats add up both and list each.
        List<JsonObject> updates = Updates.echoes(31_000, 19, 19, 3_100_000);
        WebhookDeliverer.telegram(port(edgeA), TestEnv.WEBHOOK_SECRET).deliverAll(updates.subList(0, 12), Duration.ofSeconds(60));
        WebhookDeliverer.telegram(port(edgeB), TestEnv.WEBHOOK_SECRET).deliverAll(updates.subList(12, 19), Duration.ofSeconds(60));
        fake.awaitCalls("sendMessage", 19, Duration.ofSeconds(60));
        AtomicReference<JsonObject> stats = new AtomicReference<>(new JsonObject());
        Poll.until(() -> {
          stats.set(get(workerPort, "/monitoring/webhook/stats"));
          return Long.valueOf(19).equals(stats.get().getJsonObject("totals").getLong("acked"))
              && stats.get().getJsonArray("edges", new JsonArray()).size() == 2;
        }, Duration.ofSeconds(30), () -> "the edges' sum: " + stats.get().encodePrettily());
        JsonArray edges = stats.get().getJsonArray("edges");
        assertEquals(2, edges.size(), stats.get().encodePrettily());
        List<Long> acked = edges.stream().map(e -> ((JsonObject) e).getJsonObject("totals").getLong("acked")).sorted().toList();
        assertEquals(List.of(7L, 12L), acked, "each edge's own figures");
        assertEquals(19, stats.get().getJsonObject("edge").getJsonObject("totals").getLong("received"));
        // Both workers took updates: each worker's own count, added up, is every update.
        int otherWorkerPort = Integer.parseInt(workerB.get("WORKER_PORT"));
        Poll.until(() -> handled(workerPort) + handled(otherWorkerPort) == 19, Duration.ofSeconds(30),
            () -> "the two workers' handled counts: " + handled(workerPort) + " + " + handled(otherWorkerPort));
        assertTrue(secondWorker.alive() && firstWorker.alive(), "with Redis both workers run");
      }
    }
  }

  @Test
  void ofTwoWorkersWithoutRedisStartedTogetherExactlyOneStops(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("two-at-once");
    Map<String, String> first = member(fake, dir, "worker-1", true);
    Map<String, String> second = member(fake, dir, "worker-2", true);
    // Started together, they may both find no one at start: then the heartbeats show each to the other.
    try (JvmProcess one = JvmProcess.start("worker-1", JvmProcess.workerJar(), first, dir);
         JvmProcess two = JvmProcess.start("worker-2", JvmProcess.workerJar(), second, dir)) {
      Poll.until(() -> !one.alive() || !two.alive(), Duration.ofSeconds(120),
          () -> "both workers still run:\n" + one.output() + "\n" + two.output());
      JvmProcess stopped = one.alive() ? two : one;
      JvmProcess running = one.alive() ? one : two;
      assertNotEquals(0, stopped.waitForExit(Duration.ofSeconds(60)), stopped.output());
      assertTrue(stopped.output().contains(Refusal.WORKER_LINE), stopped.output());
      Map<String, String> env = running == one ? first : second;
      running.awaitHttp("http://127.0.0.1:" + env.get("WORKER_PORT") + "/health/live", 200, Duration.ofSeconds(60));
      // The one left runs on, the only worker in its view.
      JsonArray members = new JsonArray();
      Poll.until(() -> {
        members.clear();
        members.addAll(get(Integer.parseInt(env.get("WORKER_PORT")), "/monitoring/members").getJsonArray("members", new JsonArray()));
        return MemberList.nodes(members, "worker").size() == 1;
      }, Duration.ofSeconds(30), () -> "the stopped worker is still listed: " + members.encode());
      assertTrue(running.alive() && !running.output().contains(Refusal.WORKER_LINE), running.output());
    }
  }

  private static void assertRefused(String name, Path jar, Map<String, String> env, Path dir, String line) throws Exception {
    try (JvmProcess refused = JvmProcess.start(name, jar, env, dir)) {
      int exit = refused.waitForExit(Duration.ofSeconds(120));
      assertNotEquals(0, exit, refused.output());
      assertTrue(refused.output().contains(line), name + " did not stop with its line:\n" + refused.output());
    }
  }

  /** A process on this test's cluster: every slot's port is in every member list, used or not. */
  private Map<String, String> member(FakeTelegramApi fake, Path dir, String name, boolean worker) {
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve(name));
    if (worker) {
      env.put("BOT_ROLE", "worker");
    }
    env.put("CLUSTER_PORT", String.valueOf(clusterPorts.get(next++)));
    env.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    env.put("CLUSTER_MEMBERS", clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
    env.putAll(ClusterCertificates.shared().env());
    return env;
  }

  /** Redis for the dedup, claims and throttle of a worker; the spool of an edge. */
  private static Map<String, String> shared(Map<String, String> env) {
    env.put("REDIS_URL", REDIS_URL);
    // Several JVMs start at once on a small machine: a start-up command may wait longer than the 2 s default.
    env.put("REDIS_COMMAND_TIMEOUT_MS", "10000");
    if (!"worker".equals(env.get("BOT_ROLE"))) {
      env.put("SPOOL", "redis");
      env.put("SPOOL_REDIS_VOLATILE", "true");
    }
    return env;
  }

  private static int port(Map<String, String> env) {
    return Integer.parseInt(env.get("PORT"));
  }

  private static String readyUrl(Map<String, String> env) {
    return "http://127.0.0.1:" + port(env) + "/health/ready";
  }

  private static JsonArray listed(Map<String, String> edge) {
    JsonArray members = get(port(edge), "/health/services").getJsonArray("members");
    return members == null ? new JsonArray() : members;
  }

  private static long handled(int workerPort) {
    return get(workerPort, "/monitoring/webhook/stats").getJsonObject("worker", new JsonObject()).getLong("handled", 0L);
  }

  private static JsonObject get(int port, String path) {
    try {
      return Http.get(port, path).json();
    } catch (Exception e) {
      return new JsonObject().put("totals", new JsonObject()).put("error", String.valueOf(e));
    }
  }
}
