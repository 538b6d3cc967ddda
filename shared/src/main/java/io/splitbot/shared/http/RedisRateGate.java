package io.splitbot.shared.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits counted in Redis, for every worker of a bot at once: one script takes a permit from a scope (the global
 * window, a private chat's bucket or a group's 60 s window) or answers how long to wait, on Redis's own clock ({@code TIME}), so the workers' clocks do not matter. Keys are {@code
 * <prefix>:{<bot>}:global}, {@code ...:chat:<id>}, {@code ...:group:<id>}: a bucket is a hash (tokens, when) that
 * expires once it would be full again, a window a sorted set of send times that expires a window after the last send.
 * The braces keep one bot's keys in one Redis Cluster slot, as a script needs.
 *
 * <p>At most {@value #IN_FLIGHT} questions per process are at Redis at once (the others queue), and a wait the global
 * window answered is remembered until it is over: the sends a full window holds up ask Redis a few times per permit,
 * not once each. A worker can so make about {@value #IN_FLIGHT} questions per round trip to Redis.
 *
 * <p><b>Redis down or slow.</b> Each worker says it is alive every {@value #HEARTBEAT_MS} ms in {@code
 * <prefix>:{<bot>}:workers}, and learns how many workers share the limits. When Redis fails a question or a heartbeat
 * (no answer within REDIS_COMMAND_TIMEOUT_MS, or an error), the worker counts on its own, in a {@link LocalRateGate}
 * with every limit divided by that number of workers, until a heartbeat is answered again. Sends therefore go on, at
 * most at the bot's limits all workers together, and none is lost or held up longer than one command timeout; the
 * outage is logged once when it starts and once when it ends. Two overshoots are possible and bounded: at each switch
 * the new counter starts full, so up to one more burst may go out, and a worker that never reached Redis counts
 * itself alone (it cannot have claimed an update, which needs the same Redis, so it sends only calls of its own).
 */
public final class RedisRateGate implements RateGate {
  public static final String DEFAULT_PREFIX = "splitbot:throttle";
  static final int IN_FLIGHT = 4;
  static final long HEARTBEAT_MS = 3_000;
  /** A worker not heard from for this long no longer counts as sharing the limits. */
  static final long ALIVE_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(RedisRateGate.class);

  /**
   * KEYS: the global window, then the chat's own scope if it has one. ARGV, four per key: kind ({@code bucket} or
   * {@code window}), capacity (or the window's count), rate per second (or the window in ms), and the key's time to
   * live in ms once used. Answers {wait ms, 1 when the chat's scope holds it}: {0, 0} means a permit was taken from
   * every scope, and a wait took nothing.
   */
  private static final String ACQUIRE = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
      local waits, levels = {}, {}
      for i, key in ipairs(KEYS) do
        local kind, a, b = ARGV[4 * i - 3], tonumber(ARGV[4 * i - 2]), tonumber(ARGV[4 * i - 1])
        local w = 0
        if kind == 'bucket' then
          local s = redis.call('HMGET', key, 'tokens', 'at')
          local level, at = tonumber(s[1]) or a, tonumber(s[2]) or now
          if now > at then level = math.min(a, level + (now - at) * b / 1000000) end
          levels[i] = level
          if level < 1 then w = (1 - level) * 1000000 / b end
        else
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now - b * 1000)
          if redis.call('ZCARD', key) >= a then
            w = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]) + b * 1000 - now
          end
        end
        waits[i] = w
      end
      if waits[2] and waits[2] > 0 then return {math.ceil(waits[2] / 1000), 1} end
      if waits[1] > 0 then return {math.ceil(waits[1] / 1000), 0} end
      for i, key in ipairs(KEYS) do
        if ARGV[4 * i - 3] == 'bucket' then
          redis.call('HSET', key, 'tokens', levels[i] - 1, 'at', now)
        else
          redis.call('ZADD', key, now, string.format('%.0f-%d', now, redis.call('ZCARD', key)))
        end
        redis.call('PEXPIRE', key, ARGV[4 * i])
      end
      return {0, 0}""";
  /** KEYS: the workers' set. ARGV: this worker, how long one counts. Answers how many workers share the limits. */
  private static final String HEARTBEAT = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZADD', KEYS[1], now, ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return redis.call('ZCARD', KEYS[1])""";

  private final Vertx vertx;
  private final RedisAPI redis;
  private final OutgoingThrottle.Limits limits;
  private final String keys;
  private final String bot;
  private final String worker = UUID.randomUUID().toString();
  private final long heartbeatTimer;
  private final ArrayDeque<Question> queuedQuestions = new ArrayDeque<>();
  /** Workers sharing the limits, as the last heartbeat counted them. */
  private volatile int sharers = 1;
  /** Counts on its own while Redis is out; null while Redis answers. */
  private LocalRateGate fallback;
  private long outageStarted;
  /** System.nanoTime() before which the global window is known to be full. */
  private long globalFreeAt = System.nanoTime();
  private int questionsInFlight;
  private boolean heartbeatOpen;
  private boolean closed;

  /** Keys under {@code prefix}; {@code bot} names the bot and platform ({@link RateGate.Factory#create}). */
  public RedisRateGate(Vertx vertx, RedisAPI redis, String prefix, OutgoingThrottle.Limits limits, String bot) {
    this.vertx = vertx;
    this.redis = redis;
    this.limits = limits;
    this.bot = bot;
    this.keys = prefix + ":{" + bot + "}:";
    heartbeat();
    this.heartbeatTimer = vertx.setPeriodic(HEARTBEAT_MS, id -> heartbeat());
  }

  /** Gates in Redis under the {@value #DEFAULT_PREFIX} prefix, for the clients of a worker with REDIS_URL. */
  public static RateGate.Factory factory(RedisAPI redis) {
    return (vertx, limits, bot) -> new RedisRateGate(vertx, redis, DEFAULT_PREFIX, limits, bot);
  }

  @Override
  public Future<RateGate.Answer> acquire(String chatKey) {
    return queue(new Question(chatKey, Promise.promise()));
  }

  private Future<RateGate.Answer> queue(Question question) {
    synchronized (this) {
      if (questionsInFlight >= IN_FLIGHT) {
        // Asked later, when the answers before it may tell it that it need not ask at all.
        queuedQuestions.add(question);
        return question.answer().future();
      }
      questionsInFlight++;
    }
    askInTurn(question);
    return question.answer().future();
  }

  /** Asks {@code question}, then the queued ones while its slot is free; a loop, as answers may come at once. */
  private void askInTurn(Question question) {
    Question next = question;
    while (next != null) {
      Question asked = next;
      Future<RateGate.Answer> answer = ask(asked);
      if (!answer.isComplete()) {
        answer.onComplete(ar -> {
          asked.answer().handle(ar);
          askInTurn(nextQuestion());
        });
        return;
      }
      asked.answer().handle(answer);
      next = nextQuestion();
    }
  }

  /** The next queued question, or null, and then this slot is free. */
  private synchronized Question nextQuestion() {
    Question next = queuedQuestions.poll();
    if (next == null) {
      questionsInFlight--;
    }
    return next;
  }

  /** Workers sharing the limits, as last counted. */
  int sharers() {
    return sharers;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    vertx.cancelTimer(heartbeatTimer);
    // This worker's share goes to the others at once rather than after ALIVE_MS; Redis may be closing too.
    redis.zrem(List.of(keys + "workers", worker)).onFailure(e -> { });
  }

  private Future<RateGate.Answer> ask(Question question) {
    List<String> chatScope = chatScope(question.chatKey());
    synchronized (this) {
      if (fallback != null) {
        return Future.succeededFuture(fallback.acquireNow(question.chatKey()));
      }
      long early = globalFreeAt - System.nanoTime();
      if (early > 0) {
        return Future.succeededFuture(new RateGate.Answer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(early + 999_999)), false));
      }
    }
    List<String> globalScope = globalScope();
    List<String> eval = new ArrayList<>(List.of(ACQUIRE, chatScope == null ? "1" : "2", globalScope.get(0)));
    if (chatScope != null) {
      eval.add(chatScope.get(0));
    }
    eval.addAll(globalScope.subList(1, globalScope.size()));
    if (chatScope != null) {
      eval.addAll(chatScope.subList(1, chatScope.size()));
    }
    return redis.eval(eval).transform(ar -> {
      if (ar.failed()) {
        return Future.succeededFuture(outage(ar.cause()).acquireNow(question.chatKey()));
      }
      RateGate.Answer answer = new RateGate.Answer(ar.result().get(0).toLong(), ar.result().get(1).toInteger() == 1);
      if (!answer.go() && !answer.chatHolds()) {
        synchronized (this) {
          globalFreeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(answer.waitMs());
        }
      }
      return Future.succeededFuture(answer);
    });
  }

  /** The key and the script's four arguments for the global window. */
  private List<String> globalScope() {
    long windowMs = limits.globalWindowMs();
    return List.of(keys + "global", "window", String.valueOf(limits.globalCount()), String.valueOf(windowMs), String.valueOf(windowMs));
  }

  /** The key and the script's four arguments for the chat's own limit, or null when it has none. */
  private List<String> chatScope(String chatKey) {
    if (chatKey == null) {
      return null;
    }
    if (LocalRateGate.isGroup(chatKey)) {
      return limits.groupPerMinute() == 0 ? null : List.of(keys + "group:" + chatKey, "window",
          String.valueOf(limits.groupPerMinute()), String.valueOf(LocalRateGate.GROUP_WINDOW_MS),
          String.valueOf(LocalRateGate.GROUP_WINDOW_MS));
    }
    if (limits.chatPerSecond() == 0) {
      return null;
    }
    List<String> scope = new ArrayList<>(List.of(keys + "chat:" + chatKey));
    bucket(scope, limits.chatBurst(), limits.chatPerSecond());
    return scope;
  }

  /** A bucket lives until it would be full again: a missing key is a full bucket, so nothing is granted twice. */
  private static void bucket(List<String> args, double capacity, double perSecond) {
    long refillMs = (long) Math.ceil(capacity / perSecond * 1000);
    args.addAll(List.of("bucket", String.valueOf(capacity), String.valueOf(perSecond), String.valueOf(refillMs + 1000)));
  }

  private void heartbeat() {
    synchronized (this) {
      if (heartbeatOpen || closed) {
        return;
      }
      heartbeatOpen = true;
    }
    redis.eval(List.of(HEARTBEAT, "1", keys + "workers", worker, String.valueOf(ALIVE_MS))).onComplete(ar -> {
      synchronized (this) {
        heartbeatOpen = false;
      }
      if (ar.failed()) {
        outage(ar.cause());
        return;
      }
      recovered();
      sharers = Math.max(1, ar.result().toInteger());
    });
  }

  /** The counter to use while Redis is out; the first failure of an outage says so, once. */
  private synchronized LocalRateGate outage(Throwable cause) {
    if (fallback == null) {
      int share = sharers;
      fallback = new LocalRateGate(limits.dividedBy(share));
      outageStarted = System.nanoTime();
      // The cause's class only: its message may name the Redis host.
      LOG.warn("The outgoing throttle of {} gets no answer from Redis ({}): until it does, this worker keeps to 1/{} "
          + "of the limits on its own", bot, cause.getClass().getSimpleName(), share);
    }
    return fallback;
  }

  private synchronized void recovered() {
    if (fallback != null) {
      fallback = null;
      globalFreeAt = System.nanoTime();
      LOG.info("The outgoing throttle of {} gets answers from Redis again after {} s: the limits are shared again", bot,
          TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageStarted));
    }
  }

  /** A send's question to the gate and where its answer goes. */
  private record Question(String chatKey, Promise<RateGate.Answer> answer) {
  }
}
