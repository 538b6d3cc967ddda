package io.splitbot.tests.scale;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.HttpClients;
import io.splitbot.tests.support.Jcmd;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.ProcFs;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The measured figures behind docs/SCALING.md's capacity model, printed, never asserted (a benchmark, not a test):
 *
 * <ol>
 *   <li><b>Throughput and cost per update:</b> one edge and one worker (clustered JVMs, the partitioned Redis spool,
 *   Redis dedup, claims and ledger), driven closed-loop like Telegram with {@code capacity.updates} /echo updates over
 *   {@code capacity.chats} chats. Prints updates/s end to end, each process's CPU per update (so updates/s per core),
 *   Redis commands per update and Redis CPU per update.</li>
 *   <li><b>Memory per in-flight chat:</b> {@code capacity.inflight} chats each with one update whose handler waits
 *   30 s; the heap in use after a full GC, before and while they are all in flight, on the worker and the edge.</li>
 * </ol>
 *
 * Run: {@code mvn -Pbenchmark -Dtest=CapacityRun -Dsurefire.failIfNoSpecifiedTests=false package} (after
 * {@code mvn -DskipTests install}); the load generator is the test JVM, apart from both servers.
 */
class CapacityRun {
  private static final int UPDATES = Integer.getInteger("capacity.updates", 20_000);
  private static final int CHATS = Integer.getInteger("capacity.chats", 1_000);
  private static final int IN_FLIGHT = Integer.getInteger("capacity.inflight", 2_000);

  @Test
  void measure() throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    try {
      throughput(vertx, fake);
      fake.reset();
      memoryPerInFlightChat(vertx, fake);
    } finally {
      vertx.close().await();
    }
  }

  private void throughput(Vertx vertx, FakeTelegramApi fake) throws Exception {
    ScaleCluster.flushRedis(vertx);
    Path dir = TestEnv.tempDir("capacity");
    try (ScaleCluster cluster = new ScaleCluster(fake.baseUrl(), dir, 1, 1, env -> {
      env.put("TELEGRAM_GLOBAL_RATE", "100000");
      env.put("TELEGRAM_CHAT_RATE", "1000");
    }).start()) {
      // A warm-up, so the JIT has compiled the hot path before the measured run.
      List<JsonObject> warmup = Updates.echoes(10_000_000, 2_000, CHATS, 50_000_000);
      new EdgesDeliverer(cluster.edgePorts()).deliverAll(warmup, Duration.ofMinutes(5));
      fake.await(() -> ReplyCheck.of(fake, warmup).lost().isEmpty(), Duration.ofMinutes(5), () -> "warm-up replies");

      long edgePid = cluster.edge(0).pid();
      long workerPid = cluster.worker(0).pid();
      double edgeCpu = ProcFs.cpuSeconds(edgePid);
      double workerCpu = ProcFs.cpuSeconds(workerPid);
      RedisFigures redisBefore = RedisFigures.read(vertx);
      long started = System.nanoTime();

      List<JsonObject> updates = Updates.echoes(11_000_000, UPDATES, CHATS, 51_000_000);
      new EdgesDeliverer(cluster.edgePorts()).deliverAll(updates, Duration.ofMinutes(10));
      fake.await(() -> ReplyCheck.of(fake, updates).lost().isEmpty(), Duration.ofMinutes(10), () -> "replies");
      double seconds = (System.nanoTime() - started) / 1e9;

      double edgeUs = (ProcFs.cpuSeconds(edgePid) - edgeCpu) * 1e6 / UPDATES;
      double workerUs = (ProcFs.cpuSeconds(workerPid) - workerCpu) * 1e6 / UPDATES;
      RedisFigures redisAfter = RedisFigures.read(vertx);
      double redisCalls = (double) (redisAfter.calls - redisBefore.calls) / UPDATES;
      double redisUs = (redisAfter.cpuSeconds - redisBefore.cpuSeconds) * 1e6 / UPDATES;
      System.out.printf("[capacity] %d updates over %d chats, 1 edge + 1 worker + Redis on %d cores: %.0f updates/s end to end%n",
          UPDATES, CHATS, Runtime.getRuntime().availableProcessors(), UPDATES / seconds);
      System.out.printf("[capacity] edge:   %.0f us CPU per update = %.0f updates/s per core%n", edgeUs, 1e6 / edgeUs);
      System.out.printf("[capacity] worker: %.0f us CPU per update = %.0f updates/s per core%n", workerUs, 1e6 / workerUs);
      System.out.printf("[capacity] redis:  %.1f commands per update (incl. the test's own reads: none during the run), %.0f us CPU per update = %.0f updates/s per core%n",
          redisCalls, redisUs, 1e6 / redisUs);
      System.out.println("[capacity] redis commands per update by name: " + redisAfter.perUpdate(redisBefore, UPDATES));
    }
  }

  private void memoryPerInFlightChat(Vertx vertx, FakeTelegramApi fake) throws Exception {
    ScaleCluster.flushRedis(vertx);
    Path dir = TestEnv.tempDir("capacity-memory");
    try (ScaleCluster cluster = new ScaleCluster(fake.baseUrl(), dir, 1, 1, env -> {
      env.put("ECHO_SLOW_MS", "30000");
      env.put("WORKER_CONCURRENCY", String.valueOf(IN_FLIGHT * 2));
      env.put("FORWARD_CONCURRENCY", String.valueOf(IN_FLIGHT * 2));
      env.put("FORWARD_TIMEOUT_MS", "120000");
    }).start()) {
      JvmProcess edge = cluster.edge(0);
      JvmProcess worker = cluster.worker(0);
      // Warm both up on the same path first, so class loading and JIT are not counted as per-chat memory.
      List<JsonObject> warmup = Updates.echoes(20_000_000, 500, 500, 60_000_000);
      new EdgesDeliverer(cluster.edgePorts()).deliverAll(warmup, Duration.ofMinutes(5));
      fake.await(() -> ReplyCheck.of(fake, warmup).lost().isEmpty(), Duration.ofMinutes(5), () -> "warm-up replies");
      long edgeIdle = heapUsedAfterGc(edge.pid());
      long workerIdle = heapUsedAfterGc(worker.pid());

      List<JsonObject> slow = new ArrayList<>();
      for (int i = 0; i < IN_FLIGHT; i++) {
        slow.add(Updates.message(21_000_000 + i, 61_000_000 + i, "/slow u" + (21_000_000 + i)));
      }
      new EdgesDeliverer(cluster.edgePorts()).deliverAll(slow, Duration.ofMinutes(2));
      awaitReceived(cluster, IN_FLIGHT + warmup.size());
      long edgeBusy = heapUsedAfterGc(edge.pid());
      long workerBusy = heapUsedAfterGc(worker.pid());
      System.out.printf("[capacity] %d chats in flight: worker heap %d -> %d KiB = %.1f KiB per in-flight chat; "
              + "edge heap %d -> %d KiB = %.1f KiB per update held; RSS worker %d KiB, edge %d KiB%n",
          IN_FLIGHT, workerIdle, workerBusy, (workerBusy - workerIdle) / (double) IN_FLIGHT,
          edgeIdle, edgeBusy, (edgeBusy - edgeIdle) / (double) IN_FLIGHT, ProcFs.rssKb(worker.pid()), ProcFs.rssKb(edge.pid()));
    }
  }

  /** Waits until the worker has taken {@code count} updates in all (they then sit in its slow handler). */
  private static void awaitReceived(ScaleCluster cluster, long count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = HttpClients.http1(Duration.ofSeconds(2)).send(
            HttpRequest.newBuilder(URI.create(cluster.workerUrl(0) + "/monitoring/webhook/stats")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && new JsonObject(r.body()).getJsonObject("worker").getLong("received", 0L) >= count) {
          return;
        }
      } catch (IOException e) {
        // not answering yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the worker did not take " + count + " updates within 2 minutes");
  }

  /** The heap in use after a full collection, from jcmd (GC.run, then GC.heap_info), in KiB. */
  static long heapUsedAfterGc(long pid) throws Exception {
    Jcmd.run(pid, "GC.run");
    String info = Jcmd.run(pid, "GC.heap_info");
    long used = 0;
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    while (m.find()) {
      used += Long.parseLong(m.group(1));
    }
    if (used == 0) {
      throw new IllegalStateException("cannot read the heap from jcmd:\n" + info);
    }
    return used;
  }

  /** Redis's own counters: commands run (INFO commandstats) and CPU used (INFO cpu). */
  private record RedisFigures(long calls, double cpuSeconds, java.util.Map<String, Long> byCommand) {
    static RedisFigures read(Vertx vertx) {
      Redis redis = Redis.createClient(vertx, ScaleCluster.REDIS_URL);
      try {
        String stats = redis.send(Request.cmd(Command.INFO).arg("commandstats")).await().toString();
        String cpu = redis.send(Request.cmd(Command.INFO).arg("cpu")).await().toString();
        java.util.Map<String, Long> byCommand = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("cmdstat_([a-z|]+):calls=(\\d+)").matcher(stats);
        long calls = 0;
        while (m.find()) {
          byCommand.put(m.group(1), Long.parseLong(m.group(2)));
          calls += Long.parseLong(m.group(2));
        }
        double seconds = 0;
        Matcher c = Pattern.compile("used_cpu_(sys|user):([0-9.]+)").matcher(cpu);
        while (c.find()) {
          seconds += Double.parseDouble(c.group(2));
        }
        // The two INFO calls of the reading before count too; they are noise next to thousands of updates.
        return new RedisFigures(calls, seconds, byCommand);
      } finally {
        redis.close();
      }
    }

    String perUpdate(RedisFigures before, int updates) {
      StringBuilder out = new StringBuilder();
      byCommand.forEach((name, calls) -> {
        double per = (calls - before.byCommand.getOrDefault(name, 0L)) / (double) updates;
        if (per >= 0.01) {
          out.append(name).append(String.format("=%.2f ", per));
        }
      });
      return out.toString().trim();
    }
  }
}
