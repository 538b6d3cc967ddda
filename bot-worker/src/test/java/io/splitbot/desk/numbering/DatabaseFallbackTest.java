package io.splitbot.desk.numbering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.CounterRepository;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.shared.retry.RetryLater;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator's database fallback (ENABLE_DB_FALLBACK, DB_FALLBACK_BATCH_SIZE) on the JSON store, with a Redis
 * that the test takes down and brings back: the Redis on 127.0.0.1:6379, on keys of a day in 2098 (deleted
 * afterwards), or a refused connection.
 */
class DatabaseFallbackTest {
  private Vertx vertx;
  private Storage storage;
  private CounterRepository counters;
  private SwitchableRedis redis;
  private final MovableClock clock = new MovableClock();
  private final List<String> days = new ArrayList<>();

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    storage = new JsonStorage(vertx, dir, false);
    storage.start().await();
    counters = new DeskStorage(storage).counters();
    redis = new SwitchableRedis(Redis.createClient(vertx, "redis://127.0.0.1:6379"));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    clock.set(Instant.parse(String.format("2098-%02d-%02dT12:00:00Z", random.nextInt(1, 13), random.nextInt(1, 28))));
  }

  @AfterEach
  void close() {
    RedisAPI api = RedisAPI.api(redis.delegate);
    for (String day : days) {
      api.del(List.of(RequestNumberAllocator.KEY_PREFIX + day)).await();
    }
    storage.close().await();
    vertx.close().await();
  }

  private RequestNumberAllocator allocator(ZoneId zone, boolean dbFallback, int batchSize) {
    RequestNumberAllocator a = new RequestNumberAllocator(counters, RedisAPI.api(redis), zone, clock, dbFallback, batchSize);
    days.add(a.today());
    return a;
  }

  @Test
  void blocksAreHandedOutInOrderAndTheDatabaseIsAskedOncePerBlock() {
    RequestNumberAllocator numbers = allocator(ZoneId.of("UTC"), true, 5);
    String day = numbers.today();
    redis.down = true;
    for (int i = 1; i <= 5; i++) {
      assertEquals(RequestNumbers.format(day, i), numbers.next().await());
      assertEquals(5L, counters.current(day).await(), "one block of 5 reserved at the first number");
    }
    assertEquals(day + "-006", numbers.next().await());
    assertEquals(10L, counters.current(day).await(), "the next block at the sixth");
    assertEquals(new JsonObject().put("day", day).put("next", day + "-007").put("last", day + "-010"),
        numbers.blockInUse().orElseThrow());

    // 14 at once: the 4 left in the block, then two blocks reserved one after the other, none wasted
    List<Future<String>> burst = IntStream.range(0, 14).mapToObj(i -> numbers.next()).toList();
    TreeSet<String> got = new TreeSet<>(Future.all(burst).await().<String>list());
    assertEquals(IntStream.rangeClosed(7, 20).mapToObj(i -> RequestNumbers.format(day, i)).collect(Collectors.toCollection(TreeSet::new)),
        got);
    assertEquals(20L, counters.current(day).await());
    assertTrue(numbers.blockInUse().isEmpty(), "the last block is used up");
    assertEquals(20, numbers.fallbackCount());
  }

  @Test
  void redisContinuesAboveEveryBlockAndTheRestOfABlockIsNeverHandedOut() {
    RequestNumberAllocator numbers = allocator(ZoneId.of("UTC"), true, 5);
    RequestNumberAllocator other = allocator(ZoneId.of("UTC"), true, 5);
    String day = numbers.today();
    assertEquals(day + "-001", numbers.next().await(), "from Redis");

    redis.down = true;
    assertEquals(day + "-002", numbers.next().await(), "block 2-6");
    assertEquals(day + "-007", other.next().await(), "another worker's block 7-11");
    assertEquals(day + "-003", numbers.next().await());

    redis.down = false;
    assertEquals(day + "-012", numbers.next().await(), "Redis lifted above both blocks");
    assertTrue(numbers.blockInUse().isEmpty(), "Redis answers again: the rest of the block is dropped");
    assertEquals(day + "-013", other.next().await());

    redis.down = true;
    assertEquals(day + "-014", numbers.next().await(), "a new block, not the dropped 4-6");
    assertEquals(day + "-019", other.next().await());
    assertEquals(18L + 5, counters.current(day).await());
  }

  @Test
  void aBlockBelongsToItsDayInTheBotTimeZone() {
    ZoneId tashkent = ZoneId.of("Asia/Tashkent");
    clock.set(Instant.parse("2098-03-14T18:59:59Z")); // 23:59:59 in Tashkent
    RequestNumberAllocator numbers = allocator(tashkent, true, 5);
    redis.down = true;
    assertEquals("980314-001", numbers.next().await());
    assertEquals("980314-002", numbers.next().await());

    clock.set(Instant.parse("2098-03-14T19:00:00Z")); // midnight in Tashkent
    days.add(numbers.today());
    assertEquals("980315-001", numbers.next().await(), "a new day's block, not 980315-003");
    assertEquals(5L, counters.current("980314").await());
    assertEquals(5L, counters.current("980315").await());
    assertEquals(new JsonObject().put("day", "980315").put("next", "980315-002").put("last", "980315-005"),
        numbers.blockInUse().orElseThrow());
  }

  @Test
  void withoutTheFallbackARedisOutageIsRetryLaterAndTakesNoNumber() {
    RequestNumberAllocator numbers = allocator(ZoneId.of("UTC"), false, 5);
    String day = numbers.today();
    assertEquals(day + "-001", numbers.next().await());

    redis.down = true;
    Throwable failure = assertThrows(Exception.class, () -> numbers.next().await());
    assertInstanceOf(NumbersUnavailableException.class, failure);
    assertTrue(RetryLater.in(failure), "the update is retried later, not dead-lettered");
    assertFalse(failure.getMessage().contains("127.0.0.1"), failure.getMessage());
    assertEquals(1L, counters.current(day).await(), "no number taken from the database");
    assertEquals(0, numbers.fallbackCount());
    assertTrue(numbers.blockInUse().isEmpty());

    redis.down = false;
    assertEquals(day + "-002", numbers.next().await(), "nothing lost, nothing doubled");
  }

  /** The shared Redis, or while {@link #down} a refused connection. */
  private static final class SwitchableRedis implements Redis {
    final Redis delegate;
    volatile boolean down;

    SwitchableRedis(Redis delegate) {
      this.delegate = delegate;
    }

    private <T> Future<T> refused() {
      return Future.failedFuture(new ConnectException("Connection refused: 127.0.0.1:6379"));
    }

    @Override
    public Future<RedisConnection> connect() {
      return down ? refused() : delegate.connect();
    }

    @Override
    public Future<Void> close() {
      return delegate.close();
    }

    @Override
    public Future<Response> send(Request request) {
      return down ? refused() : delegate.send(request);
    }

    @Override
    public Future<List<Response>> batch(List<Request> requests) {
      return down ? refused() : delegate.batch(requests);
    }
  }

  /** A clock the test moves. */
  private static final class MovableClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>();

    void set(Instant instant) {
      now.set(instant);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return Clock.fixed(now.get(), zone);
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }
}
