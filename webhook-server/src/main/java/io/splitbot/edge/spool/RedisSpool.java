package io.splitbot.edge.spool;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.redis.RedisClients;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.retry.Causes;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool in Redis, for an edge without a persistent disk: a stream {@code <prefix>:stream} of entries
 * {@code id} = the update's key, {@code env} = envelope JSON, and a hash {@code <prefix>:index} key → stream entry id (a Telegram key is its bare update_id, as before platforms).
 * Append and remove are each one Lua script, so the check-then-write is atomic across edge instances.
 *
 * <p><b>Durability</b> is the Redis server's: an append is acked once Redis has it in memory, so it survives a
 * Redis restart only with AOF. {@link RedisPersistence} asks the server at start and refuses one without AOF unless
 * SPOOL_REDIS_VOLATILE=true; with SPOOL_REDIS_WAITAOF=true each ack also waits for the fsync ({@link AofGroupCommit}).
 * On Redis Cluster, put a hash tag in the prefix (e.g. {@code {splitbot:spool}}) so its keys share a slot.
 *
 * <p><b>Outages.</b> The client ({@link RedisClients}) times out connects and commands after REDIS_COMMAND_TIMEOUT_MS
 * and bounds its queues, so while Redis is down appends fail fast (the edge answers 503) instead of queuing. A
 * timed-out append may still have been stored: Telegram's redelivery then meets ALREADY_SPOOLED, never a false
 * success. The pooled client opens new connections on its own once Redis is back. Each transition is logged once.
 */
public final class RedisSpool implements Spool {

  private static final int PAGE = 500;
  private static final Logger log = LoggerFactory.getLogger(RedisSpool.class);

  // Both scripts answer the size with a version (KEYS[3], bumped by every call): answers may come back out of order on
  // a pool of connections, and only the latest one says how many updates the spool holds now.
  // KEYS: stream, index, version. ARGV: update key, envelope JSON, max. Answers {code, size, version}: 1 stored, 0 held,
  // -1 full.
  private static final Script APPEND = new Script("""
      local version = redis.call('INCR', KEYS[3])
      if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
        return {0, redis.call('HLEN', KEYS[2]), version}
      end
      local held = redis.call('HLEN', KEYS[2])
      if held >= tonumber(ARGV[3]) then
        return {-1, held, version}
      end
      local entry = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'env', ARGV[2])
      redis.call('HSET', KEYS[2], ARGV[1], entry)
      return {1, held + 1, version}
      """);

  // KEYS: stream, index, version. ARGV: update key. Answers {removed 1/0, size, version}.
  private static final Script REMOVE = new Script("""
      local version = redis.call('INCR', KEYS[3])
      local entry = redis.call('HGET', KEYS[2], ARGV[1])
      if not entry then
        return {0, redis.call('HLEN', KEYS[2]), version}
      end
      redis.call('XDEL', KEYS[1], entry)
      redis.call('HDEL', KEYS[2], ARGV[1])
      return {1, redis.call('HLEN', KEYS[2]), version}
      """);

  private record Script(String source, String sha) {
    Script(String source) {
      this(source, sha1(source));
    }
  }

  private final Redis redis;
  private final String where;
  private final String streamKey;
  private final String indexKey;
  private final String versionKey;
  private final int maxUpdates;
  private final RedisPersistence persistence;
  /** Null unless SPOOL_REDIS_WAITAOF=true. */
  private final AofGroupCommit fsynced;
  private static final Backoff REMOVE_RETRY = new Backoff(200, 10_000);
  private final Vertx vertx;
  private final AtomicInteger size = new AtomicInteger();
  /** The version of the answer {@link #size} was last taken from; guarded by {@code size}. */
  private long sizeVersion;
  private final AtomicBoolean reachable = new AtomicBoolean(true);
  private volatile boolean closed;

  public RedisSpool(Vertx vertx, SplitbotConfig.Redis redisConfig, SplitbotConfig.Delivery delivery, String keyPrefix) {
    if (delivery.spoolMaxUpdates() < 1) {
      throw new IllegalArgumentException("maxUpdates must be at least 1");
    }
    this.vertx = vertx;
    this.redis = RedisClients.create(vertx, redisConfig);
    this.where = Redactor.mask(redisConfig.url());
    this.streamKey = keyPrefix + ":stream";
    this.indexKey = keyPrefix + ":index";
    this.versionKey = keyPrefix + ":version";
    this.maxUpdates = delivery.spoolMaxUpdates();
    // WAITAOF's own wait stays inside the client's timeout, so Redis answers "not yet" before the client gives up.
    long waitAofMs = Math.max(1, redisConfig.commandTimeoutMs() * 3 / 4);
    this.persistence = new RedisPersistence(redis, where, delivery.spoolRedisVolatile(), delivery.spoolRedisWaitAof(), waitAofMs);
    this.fsynced = delivery.spoolRedisWaitAof() ? new AofGroupCommit(this::batch, waitAofMs) : null;
  }

  @Override
  public Future<List<UpdateEnvelope>> open() {
    return persistence.check()
        .compose(v -> send(Request.cmd(Command.HLEN).arg(indexKey)))
        .compose(held -> {
          size.set(held.toInteger());
          return readPage("-", new ArrayList<>());
        })
        .map(envelopes -> {
          envelopes.sort(UpdateEnvelope.ORDER);
          log.info("Redis spool {} at {} opened: {} updates held", streamKey, where, envelopes.size());
          return envelopes;
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot open Redis spool " + streamKey + " at " + where + ": " + e.getMessage(), e)));
  }

  private Future<List<UpdateEnvelope>> readPage(String from, List<UpdateEnvelope> into) {
    return send(Request.cmd(Command.XRANGE).arg(streamKey).arg(from).arg("+").arg("COUNT").arg(PAGE))
        .compose(page -> {
          String last = null;
          for (Response entry : page) {
            last = entry.get(0).toString();
            UpdateEnvelope update = readable(last, entry.get(1));
            if (update != null) {
              into.add(update);
            }
          }
          // "(" makes the next page start after the last entry (exclusive range, Redis 6.2+).
          return page.size() < PAGE ? Future.succeededFuture(into) : readPage("(" + last, into);
        });
  }

  /**
   * The entry's update, or null when it cannot be read (no env field, not JSON, not an envelope): that entry is
   * logged with its id and left in the stream for the operator, and the other updates are delivered.
   */
  private UpdateEnvelope readable(String entryId, Response fields) {
    String env = RedisReplies.field(fields, "env");
    String reason;
    if (env == null) {
      reason = "it has no env field";
    } else {
      try {
        UpdateEnvelope update = UpdateEnvelope.fromJson(new JsonObject(env));
        if (update.raw() != null) {
          return update;
        }
        reason = "its env holds no update";
      } catch (DecodeException e) {
        reason = "its env is not a JSON object";
      } catch (RuntimeException e) {
        reason = "its env is not an update envelope: " + e.getClass().getSimpleName();
      }
    }
    // The reason names no content: an update's text is the user's.
    log.warn("Redis spool {}: entry {} is unreadable ({}); skipping it and leaving it in the stream (XDEL {} {} removes it)",
        streamKey, entryId, reason, streamKey, entryId);
    return null;
  }

  @Override
  public Future<Appended> append(UpdateEnvelope update) {
    String[] args = {update.key(), update.toJson().encode(), Integer.toString(maxUpdates)};
    // In a WAITAOF group the script goes as EVAL: one NOSCRIPT in a batch would fail the whole group.
    Future<Response> stored = fsynced == null ? run(APPEND, args) : fsynced.submit(scriptRequest(Command.EVAL, APPEND.source(), args));
    return stored
        .compose(answer -> {
          sized(answer);
          return switch (answer.get(0).toInteger()) {
            case 1 -> Future.succeededFuture(Appended.STORED);
            case 0 -> Future.succeededFuture(Appended.ALREADY_SPOOLED);
            default -> Future.failedFuture(new SpoolFullException(maxUpdates));
          };
        });
  }

  /**
   * A remove that fails (Redis away, a timeout) is tried again in the background until it is done, like the file
   * spool's; until then the update stays spooled and counted, and a restart would resend it for dedup to skip.
   */
  @Override
  public Future<Void> remove(String updateKey) {
    return removeOnce(updateKey).onFailure(e -> removeLater(updateKey, 0));
  }

  private Future<Void> removeOnce(String updateKey) {
    return run(REMOVE, updateKey)
        .map(answer -> {
          sized(answer);
          return null;
        });
  }

  private void removeLater(String updateKey, int attempt) {
    if (closed) {
      return;
    }
    vertx.setTimer(REMOVE_RETRY.delayMs(attempt), t -> {
      if (!closed) {
        removeOnce(updateKey).onFailure(e -> removeLater(updateKey, attempt + 1));
      }
    });
  }

  /** Takes the size from a script's answer, unless a later call's answer has come back already. */
  private void sized(Response answer) {
    long version = answer.get(2).toLong();
    synchronized (size) {
      if (version > sizeVersion) {
        sizeVersion = version;
        size.set(answer.get(1).toInteger());
      }
    }
  }

  /** Redis answers a PING within the command timeout. */
  @Override
  public Future<Void> probe() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  @Override
  public int size() {
    return size.get();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    return redis.close();
  }

  /** EVALSHA, falling back to EVAL when Redis lost its script cache (e.g. after a restart). */
  private Future<Response> run(Script script, String... args) {
    return send(scriptRequest(Command.EVALSHA, script.sha(), args))
        .recover(e -> e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT")
            ? send(scriptRequest(Command.EVAL, script.source(), args))
            : Future.failedFuture(e));
  }

  private Request scriptRequest(Command command, String script, String... args) {
    Request request = Request.cmd(command).arg(script).arg(3).arg(streamKey).arg(indexKey).arg(versionKey);
    for (String arg : args) {
      request.arg(arg);
    }
    return request;
  }

  private Future<Response> send(Request request) {
    return redis.send(request).andThen(this::observe);
  }

  private Future<List<Response>> batch(List<Request> requests) {
    return redis.batch(requests).andThen(this::observe);
  }

  /** Logs each outage once, when it starts and when it ends. */
  private void observe(AsyncResult<?> result) {
    Throwable cause = result.cause();
    if (closed || Causes.anyIs(cause, ConnectionPoolTooBusyException.class)) {
      return; // our own shutdown, or a burst beyond the bounded queue: neither says Redis is down
    }
    // A Redis error reply is itself a Response: Redis is there, it refused the command.
    if (result.succeeded() || cause instanceof Response) {
      if (reachable.compareAndSet(false, true)) {
        log.info("Redis spool at {} is reachable again", where);
      }
    } else if (reachable.compareAndSet(true, false)) {
      log.warn("Redis spool at {} is unreachable ({}); updates are refused with 503 until it is back", where, cause.toString());
    }
  }

  private static String sha1(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
