package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.TestEnv;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Request numbers from two worker processes at once, sharing PostgreSQL and a Redis of their own: distinct and
 * consecutive from Redis, still distinct and consecutive through the database fallback's blocks while Redis is stopped,
 * and again from Redis, above every fallback number, once it is back.
 */
class RequestNumberingTest {

  @Test
  void twoWorkersNumberWithoutDuplicatesAcrossRedisAndTheFallbackBothWays() throws Exception {
    Path dir = TestEnv.tempDir("desk-numbering");
    String database = PgDatabases.create("desk_numbers");
    String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyMMdd"));
    try (RedisServerProcess redis = new RedisServerProcess(dir).start();
         JvmProcess w1 = JvmProcess.start("worker-1", JvmProcess.workerJar(), env(dir.resolve("w1"), database, redis), dir);
         JvmProcess w2 = JvmProcess.start("worker-2", JvmProcess.workerJar(), env(dir.resolve("w2"), database, redis), dir)) {
      List<ApiClient> workers = new ArrayList<>();
      for (JvmProcess w : List.of(w1, w2)) {
        int port = Integer.parseInt(lastEnv.get(w.logFile().getName()).get("WORKER_PORT"));
        w.awaitHttp("http://127.0.0.1:" + port + "/api/v1/openapi.yaml", 200, Duration.ofSeconds(60));
        workers.add(new ApiClient(port));
      }

      List<String> fromRedis = createConcurrently(workers, 200);
      assertConsecutive(day, fromRedis, 1, 200);
      assertEquals(200, counter(database, day), "the database counter follows every number Redis gave");

      redis.kill();
      // 50 a worker: 5 whole blocks of DB_FALLBACK_BATCH_SIZE=10 (the default) each, so none is left half used
      List<String> fromDatabase = createConcurrently(workers, 100);
      assertConsecutive(day, fromDatabase, 201, 300);
      for (ApiClient w : workers) {
        assertTrue(w.get("/api/v1/internal/health").json().getJsonObject("request_numbers").getLong("database_fallbacks") > 0,
            "each worker numbered through the fallback");
      }

      redis.start(); // same port and append-only file: its counter still says 200
      for (ApiClient w : workers) {
        Poll.until(() -> "up".equals(w.get("/api/v1/internal/health").json().getString("redis")), Duration.ofSeconds(30),
            () -> "a worker does not see Redis again");
      }
      List<String> again = createConcurrently(workers, 100);
      assertConsecutive(day, again, 301, 400);

      List<String> all = new ArrayList<>(fromRedis);
      all.addAll(fromDatabase);
      all.addAll(again);
      assertEquals(400, new TreeSet<>(all).size(), "no number twice");
      assertEquals(400, PgDatabases.count(database, "SELECT count(DISTINCT number) FROM requests"));
      System.out.println("[numbering] 200 from Redis, 100 from the database fallback, 100 from Redis again: " + day + "-001 to -400");
    } finally {
      PgDatabases.drop(database);
    }
  }

  private final Map<String, Map<String, String>> lastEnv = new HashMap<>();
  private int started;

  private Map<String, String> env(Path dataDir, String database, RedisServerProcess redis) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", String.valueOf(TestEnv.freePort()));
    env.put("WORKER_PORT", String.valueOf(TestEnv.freePort()));
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("DATA_DIR", dataDir.toString());
    env.put("DATABASE_URL", PgDatabases.url(database));
    env.put("REDIS_URL", redis.url());
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    started++;
    lastEnv.put("worker-" + started + ".log", env);
    return env;
  }

  /** {@code count} creates spread over the workers, 16 at a time; the numbers they got. */
  private static List<String> createConcurrently(List<ApiClient> workers, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<String>> numbers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ApiClient worker = workers.get(i % workers.size());
        int n = i;
        numbers.add(pool.submit(() -> {
          ApiClient.Answer a = worker.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("title", "Request " + n));
          if (a.status() != 201) {
            throw new AssertionError("create failed: " + a);
          }
          return a.json().getString("request_number");
        }));
      }
      List<String> out = new ArrayList<>();
      for (Future<String> f : numbers) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void assertConsecutive(String day, List<String> numbers, int from, int to) {
    TreeSet<Integer> counters = new TreeSet<>();
    for (String n : numbers) {
      assertTrue(n.startsWith(day + "-"), n);
      counters.add(Integer.parseInt(n.substring(7)));
    }
    assertEquals(numbers.size(), counters.size(), "duplicates among " + numbers);
    assertEquals(from, counters.first(), "first of " + counters);
    assertEquals(to, counters.last(), "last of " + counters);
    assertEquals(to - from + 1, counters.size(), "gaps in " + counters);
  }

  private static long counter(String database, String day) throws Exception {
    try (Connection c = PgDatabases.connect(database); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT value FROM counters WHERE day = '" + day + "'")) {
      return r.next() ? r.getLong(1) : 0;
    }
  }
}
