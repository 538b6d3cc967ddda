package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.numbering.RequestNumberAllocator;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two allocators, each on its own connection pool to one PostgreSQL database (as two workers), while Redis refuses
 * connections: the blocks they reserve at the same time are disjoint, and Redis, once back, continues above all of
 * them. A day in 2098, so the shared Redis's key is the test's alone (deleted afterwards).
 */
class NumberBlocksOnPostgresTest {
  private static final int BATCH = 5;
  private Vertx vertx;
  private String database;
  private final List<Storage> storages = new ArrayList<>();
  private RedisAPI redis;
  private Clock clock;
  private String day;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    database = PgDatabases.create("number_blocks");
    redis = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:6379"));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    clock = Clock.fixed(Instant.parse(String.format("2098-%02d-%02dT12:00:00Z", random.nextInt(1, 13), random.nextInt(1, 28))),
        ZoneOffset.UTC);
  }

  @AfterEach
  void close() throws Exception {
    if (day != null) {
      redis.del(List.of(RequestNumberAllocator.KEY_PREFIX + day)).await();
    }
    for (Storage s : storages) {
      s.close().await();
    }
    vertx.close().await();
    PgDatabases.drop(database);
  }

  /** A worker's allocator: its own pool on the shared database, and {@code redisUrl}. */
  private RequestNumberAllocator worker(String redisUrl) {
    Storage storage = StorageFactory.plain(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", PgDatabases.url(database),
        "DATABASE_POOL_SIZE", "4"), Path.of("unused")), "postgresql", false);
    storage.start().await();
    storages.add(storage);
    RequestNumberAllocator numbers = new RequestNumberAllocator(new DeskStorage(storage).counters(),
        RedisAPI.api(Redis.createClient(vertx, redisUrl)), ZoneId.of("UTC"), clock, true, BATCH);
    day = numbers.today();
    return numbers;
  }

  @Test
  void twoWorkersReserveDisjointBlocksAndRedisContinuesAboveThemAll() throws Exception {
    RequestNumberAllocator a = worker("redis://127.0.0.1:1"); // nothing listens: Redis is down for both
    RequestNumberAllocator b = worker("redis://127.0.0.1:1");

    // 40 each, all at once: every block is reserved while the other worker reserves too
    List<Future<String>> fromA = new ArrayList<>();
    List<Future<String>> fromB = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      fromA.add(a.next());
      fromB.add(b.next());
    }
    TreeSet<Integer> numbersA = counters(Future.all(fromA).await().list());
    TreeSet<Integer> numbersB = counters(Future.all(fromB).await().list());
    assertEquals(40, numbersA.size(), "duplicates within a worker: " + numbersA);
    assertEquals(40, numbersB.size(), "duplicates within a worker: " + numbersB);
    TreeSet<Integer> all = new TreeSet<>(numbersA);
    all.addAll(numbersB);
    assertEquals(80, all.size(), "a number given by both workers: " + numbersA + " / " + numbersB);
    assertEquals(1, all.first());
    assertEquals(80, all.last(), "8 whole blocks each, none wasted: " + all);
    assertWholeBlocks(numbersA);
    assertWholeBlocks(numbersB);
    assertEquals(40, a.fallbackCount(), "numbers a took from the database");

    // one at a time, each worker's numbers rise through its block
    List<Integer> inTurn = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      inTurn.add(counter(a.next().await()));
    }
    assertEquals(List.of(81, 82, 83), inTurn, "the next block, in order");
    assertEquals(86, counter(b.next().await()), "b's block starts after a's");
    assertEquals(90L, PgDatabases.count(database, "SELECT value FROM counters WHERE day = '" + day + "'"),
        "two blocks reserved, 84-85 and 87-90 not handed out yet");

    // Redis answers (a worker on it): above every block, also the numbers of them not handed out
    RequestNumberAllocator c = worker("redis://127.0.0.1:6379");
    assertEquals(day + "-091", c.next().await());
    assertEquals(day + "-092", c.next().await());
  }

  private static TreeSet<Integer> counters(List<String> numbers) {
    TreeSet<Integer> out = new TreeSet<>();
    numbers.forEach(n -> out.add(counter(n)));
    return out;
  }

  private static int counter(String number) {
    return Integer.parseInt(number.substring(number.indexOf('-') + 1));
  }

  /** Each block of 5 ({@code 1-5, 6-10, ...}) is wholly one worker's or not at all. */
  private static void assertWholeBlocks(TreeSet<Integer> numbers) {
    for (int n : numbers) {
      int start = (n - 1) / BATCH * BATCH + 1;
      for (int m = start; m < start + BATCH; m++) {
        assertTrue(numbers.contains(m), "block " + start + "-" + (start + BATCH - 1) + " split between workers: " + numbers);
      }
    }
  }
}
