package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The database fallback of request numbers as the seed's operators set it (ENABLE_DB_FALLBACK,
 * DB_FALLBACK_BATCH_SIZE), with worker processes on one PostgreSQL database and a Redis of their own that the test
 * stops and starts: in blocks while Redis is stopped, and "retry later" when the fallback is off.
 */
class RequestNumberFallbackTest {
  private static final String CREATE = "/api/v1/bot/requests/create";
  private static final String HEALTH = "/api/v1/internal/health";
  /** BOT_TIME_ZONE: a zone where it is about noon now, so no test here crosses midnight and changes the day. */
  private static final ZoneOffset ZONE = ZoneOffset.ofHours(12 - OffsetDateTime.now(ZoneOffset.UTC).getHour());
  private final String day = LocalDate.now(ZONE).format(DateTimeFormatter.ofPattern("yyMMdd"));

  @Test
  void twoWorkersNumberInBlocksOfFiveWhileRedisIsStoppedAndAboveThemAllOnceItIsBack() throws Exception {
    Path dir = TestEnv.tempDir("number-blocks");
    String database = PgDatabases.create("number_blocks");
    Map<String, String> settings = Map.of("ENABLE_DB_FALLBACK", "true", "DB_FALLBACK_BATCH_SIZE", "5");
    try (RedisServerProcess redis = new RedisServerProcess(dir).start();
         Worker w1 = Worker.start("worker-1", dir, database, redis, settings);
         Worker w2 = Worker.start("worker-2", dir, database, redis, settings)) {
      List<Worker> both = List.of(w1, w2);
      Map<Worker, List<Integer>> before = createInTurns(both, 4);
      assertEquals(List.of(1, 3), before.get(w1), "from Redis");
      assertEquals(List.of(2, 4), before.get(w2));

      redis.kill();
      Map<Worker, List<Integer>> stopped = createInTurns(both, 12);
      // one at a time, in turns: each worker reserves 5 when it needs a number and uses them in order
      assertEquals(List.of(5, 6, 7, 8, 9, 15), stopped.get(w1));
      assertEquals(List.of(10, 11, 12, 13, 14, 20), stopped.get(w2));
      assertBlock(w1, 16, 19, 6);
      assertBlock(w2, 21, 24, 6);

      redis.start(); // same port and append-only file: its counter still says 4
      for (Worker w : both) {
        Poll.until(() -> "up".equals(w.api().get(HEALTH).json().getString("redis")), Duration.ofSeconds(30),
            () -> w.name() + " does not see Redis again");
      }
      Map<Worker, List<Integer>> back = createInTurns(both, 4);
      assertEquals(List.of(25, 27), back.get(w1), "from Redis, above every block, also 16-19 and 21-24 never handed out");
      assertEquals(List.of(26, 28), back.get(w2));
      for (Worker w : both) {
        assertFalse(w.api().get(HEALTH).json().getJsonObject("request_numbers").containsKey("block"),
            "the rest of the block is dropped once Redis answers");
        assertEquals(1, count(w.process().output(), "numbering from blocks of the database counter"), "logged once");
        assertEquals(1, count(w.process().output(), "Redis answers again"), "logged once");
      }

      assertEquals(20, PgDatabases.count(database, "SELECT count(DISTINCT number) FROM requests"), "no number twice");
      assertEquals(20, PgDatabases.count(database, "SELECT count(*) FROM requests"));
      System.out.println("[number-blocks] Redis 1-4; stopped: worker-1 " + stopped.get(w1) + ", worker-2 " + stopped.get(w2)
          + "; Redis again 25-28");
    } finally {
      PgDatabases.drop(database);
    }
  }

  @Test
  void withoutTheFallbackARedisOutageIsRetryLaterAndNoNumberIsLostOrDoubled() throws Exception {
    Path dir = TestEnv.tempDir("number-no-fallback");
    String database = PgDatabases.create("number_no_fallback");
    try (RedisServerProcess redis = new RedisServerProcess(dir).start();
         Worker w = Worker.start("worker", dir, database, redis, Map.of("ENABLE_DB_FALLBACK", "false"))) {
      assertEquals(201, w.api().post(CREATE, ApiClient.legacySample()).status());

      redis.kill();
      for (int i = 0; i < 2; i++) {
        ApiClient.Answer refused = w.api().post(CREATE, ApiClient.legacySample());
        assertEquals(503, refused.status(), refused.toString());
        assertNotNull(refused.retryAfter(), "503 carries Retry-After");
        assertEquals(new JsonObject().put("success", false)
            .put("message", "No request number can be given while Redis is unavailable; retry later"), refused.json());
      }
      JsonObject numbers = w.api().get(HEALTH).json().getJsonObject("request_numbers");
      assertEquals(false, numbers.getBoolean("database_fallback"));
      assertEquals(0L, numbers.getLong("database_fallbacks"));
      assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM requests"), "nothing stored meanwhile");

      redis.start();
      Poll.until(() -> "up".equals(w.api().get(HEALTH).json().getString("redis")), Duration.ofSeconds(30),
          () -> "the worker does not see Redis again");
      ApiClient.Answer created = w.api().post(CREATE, ApiClient.legacySample());
      assertEquals(201, created.status(), created.toString());
      assertEquals(day + "-002", created.json().getString("request_number"), "the refused creates took no number");
      assertEquals(2, PgDatabases.count(database, "SELECT count(DISTINCT number) FROM requests"));
      assertEquals(1, count(w.process().output(), "new requests wait until it is back (ENABLE_DB_FALLBACK=false)"),
          "logged once");
    } finally {
      PgDatabases.drop(database);
    }
  }

  @Test
  void withoutTheFallbackAndWithoutRedisTheWorkerRefusesToStart() throws Exception {
    Path dir = TestEnv.tempDir("number-no-source");
    Map<String, String> env = Worker.env(dir.resolve("data"), "json", null, Map.of("ENABLE_DB_FALLBACK", "false"));
    try (JvmProcess worker = JvmProcess.start("worker", JvmProcess.workerJar(), env, dir)) {
      assertNotEquals(0, worker.waitForExit(Duration.ofSeconds(60)), "stops at start");
      assertTrue(worker.output().contains("ENABLE_DB_FALLBACK=false needs REDIS_URL"), worker.output());
    }
  }

  /** {@code count} creates, one at a time, the workers in turn; the counters each worker got, in order. */
  private static Map<Worker, List<Integer>> createInTurns(List<Worker> workers, int count) {
    Map<Worker, List<Integer>> got = new HashMap<>();
    for (int i = 0; i < count; i++) {
      Worker w = workers.get(i % workers.size());
      ApiClient.Answer a = w.api().post(CREATE, ApiClient.legacySample().put("title", "Request " + i));
      assertEquals(201, a.status(), a.toString());
      int n = Integer.parseInt(a.json().getString("request_number").substring(7));
      got.computeIfAbsent(w, k -> new ArrayList<>()).add(n);
    }
    return got;
  }

  /** The worker's health shows the block it hands out, and how many numbers it took from the database. */
  private void assertBlock(Worker w, int next, int last, long fallbacks) {
    JsonObject numbers = w.api().get(HEALTH).json().getJsonObject("request_numbers");
    assertEquals(new JsonObject().put("database_fallback", true).put("batch_size", 5).put("database_fallbacks", fallbacks)
        .put("block", new JsonObject().put("day", day).put("next", day + String.format("-%03d", next))
            .put("last", day + String.format("-%03d", last))), numbers, w.name());
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  /** A worker process with the desk's internal API on the shared database and the test's Redis. */
  private record Worker(String name, JvmProcess process, ApiClient api) implements AutoCloseable {
    static Worker start(String name, Path dir, String database, RedisServerProcess redis, Map<String, String> settings)
        throws Exception {
      Map<String, String> env = env(dir.resolve(name), "postgresql", redis.url(), settings);
      env.put("DATABASE_URL", PgDatabases.url(database));
      JvmProcess process = JvmProcess.start(name, JvmProcess.workerJar(), env, dir);
      int port = Integer.parseInt(env.get("WORKER_PORT"));
      try {
        process.awaitHttp("http://127.0.0.1:" + port + "/api/v1/openapi.yaml", 200, Duration.ofSeconds(60));
      } catch (Exception | AssertionError e) {
        process.close();
        throw e;
      }
      return new Worker(name, process, new ApiClient(port));
    }

    @Override
    public void close() throws InterruptedException {
      process.close();
    }

    static Map<String, String> env(Path dataDir, String backend, String redisUrl, Map<String, String> settings) {
      Map<String, String> env = new HashMap<>(settings);
      env.put("PORT", String.valueOf(TestEnv.freePort()));
      env.put("WORKER_PORT", String.valueOf(TestEnv.freePort()));
      env.put("HTTP_HOST", "127.0.0.1");
      env.put("DATA_DIR", dataDir.toString());
      env.put("STORAGE_BACKEND", backend);
      env.put("BOT_TIME_ZONE", ZONE.getId());
      env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
      if (redisUrl != null) {
        env.put("REDIS_URL", redisUrl);
      }
      return env;
    }
  }
}
