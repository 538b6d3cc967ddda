package io.splitbot.desk.numbering;

import io.splitbot.shared.log.Redactor;
import io.splitbot.desk.storage.CounterRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request numbers from a Redis counter per day ({@code INCR} on {@code splitbot:request-number:<YYMMDD>}, expiring
 * after two days). While Redis is unavailable, with ENABLE_DB_FALLBACK (the default), from blocks of
 * DB_FALLBACK_BATCH_SIZE numbers reserved in the storage's day counter ({@link NumberBlocks}); without it, a Redis
 * outage is "retry later" ({@link NumbersUnavailableException}). Without Redis, the day counter one number at a time
 * is the only source.
 *
 * <p>No number is handed out twice, by any number of workers, across a switch in either direction:
 * <ul>
 *   <li>Redis to database: every number Redis issues is written into the database counter ({@code raiseTo})
 *   before it is used, so a block reserved later starts above it;</li>
 *   <li>database to Redis: a block is reserved by raising the database counter past its end, and the script that
 *   increments first lifts the Redis key to the database counter, so Redis continues above every block. The worker
 *   drops the rest of its block as soon as Redis answers: those numbers are skipped (the counter stands above them,
 *   nobody hands them out), and the worker's numbers keep rising with Redis's instead of going back below them;</li>
 *   <li>the one race left, a worker switching in the instant another issues a number, ends at the unique key on the
 *   request number: the second create fails and takes the next number ({@code DeskService}).</li>
 * </ul>
 */
public final class RequestNumberAllocator implements RequestNumbers {
  private static final Logger log = LoggerFactory.getLogger(RequestNumberAllocator.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyMMdd");
  public static final String KEY_PREFIX = "splitbot:request-number:";
  /** Longer than any calendar day in any zone, so a key outlives its day wherever the workers are. */
  static final long KEY_TTL_SECONDS = 2 * 24 * 3600;

  /** Lift the counter to the database's value if it is behind, then increment; one atomic step in Redis. */
  static final String NEXT_SCRIPT = """
      local floor = tonumber(ARGV[1])
      local current = tonumber(redis.call('GET', KEYS[1]) or '0')
      if current < floor then redis.call('SET', KEYS[1], floor) end
      local n = redis.call('INCR', KEYS[1])
      redis.call('EXPIRE', KEYS[1], ARGV[2])
      return n
      """;

  private final CounterRepository counters;
  private final RedisAPI redis;
  /** null with ENABLE_DB_FALLBACK=false: a Redis outage is "retry later". */
  private final NumberBlocks blocks;
  private final Clock clock;
  private final ZoneId zone;
  private final AtomicBoolean onFallback = new AtomicBoolean();
  private final AtomicLong fallbackCount = new AtomicLong();

  /**
   * @param redis null when REDIS_URL is unset: the database counter alone
   * @param dbFallback ENABLE_DB_FALLBACK: number from the database while Redis is unavailable
   * @param batchSize DB_FALLBACK_BATCH_SIZE: how many numbers the fallback reserves at a time
   */
  public RequestNumberAllocator(CounterRepository counters, RedisAPI redis, ZoneId zone, Clock clock, boolean dbFallback,
      int batchSize) {
    this.counters = counters;
    this.redis = redis;
    this.blocks = dbFallback ? new NumberBlocks(counters, batchSize) : null;
    this.zone = zone;
    this.clock = clock;
  }

  @Override
  public Future<String> next() {
    String day = today();
    if (redis == null) {
      return counters.nextCounter(day).map(n -> RequestNumbers.format(day, n));
    }
    // The database's counter is read first: it is the floor Redis must start above.
    return counters.current(day).compose(floor -> fromRedis(day, floor).transform(ar -> {
      if (ar.succeeded()) {
        if (blocks != null) {
          blocks.drop();
        }
        if (onFallback.compareAndSet(true, false)) {
          log.info("request numbers: Redis answers again, numbering from Redis above {}", RequestNumbers.format(day, floor));
        }
        long n = ar.result();
        return counters.raiseTo(day, n).map(v -> RequestNumbers.format(day, n));
      }
      if (blocks == null) {
        if (onFallback.compareAndSet(false, true)) {
          log.warn("request numbers: Redis is unavailable ({}), new requests wait until it is back (ENABLE_DB_FALLBACK=false)",
              Redactor.mask(String.valueOf(ar.cause().getMessage())));
        }
        return Future.failedFuture(new NumbersUnavailableException(ar.cause()));
      }
      if (onFallback.compareAndSet(false, true)) {
        log.warn("request numbers: Redis is unavailable ({}), numbering from blocks of the database counter until it is back",
            Redactor.mask(String.valueOf(ar.cause().getMessage())));
      }
      return blocks.next(day).map(n -> {
        fallbackCount.incrementAndGet();
        return RequestNumbers.format(day, n);
      });
    }));
  }

  private Future<Long> fromRedis(String day, long floor) {
    Future<Response> r;
    try {
      r = redis.eval(List.of(NEXT_SCRIPT, "1", KEY_PREFIX + day, String.valueOf(floor), String.valueOf(KEY_TTL_SECONDS)));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // The client's own command timeout (REDIS_COMMAND_TIMEOUT_MS) bounds the wait before the fallback.
    return r.map(Response::toLong);
  }

  /** The day a number made now belongs to: {@code YYMMDD} in BOT_TIME_ZONE. */
  public String today() {
    return LocalDate.now(clock.withZone(zone)).format(DAY);
  }

  /** Numbers the database fallback issued because Redis did not answer. */
  public long fallbackCount() {
    return fallbackCount.get();
  }

  /** The fallback's block being handed out, {@code {"day", "next", "last"}}, if any numbers are left in it. */
  public Optional<JsonObject> blockInUse() {
    return blocks == null ? Optional.empty() : blocks.inUse().map(b -> new JsonObject().put("day", b.day())
        .put("next", RequestNumbers.format(b.day(), b.next())).put("last", RequestNumbers.format(b.day(), b.last())));
  }
}
