package io.splitbot.edge.spool;

import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.redis.RedisClients;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.retry.Causes;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool in Redis, shared by every edge: it is split into {@code SPOOL_PARTITIONS} partitions, and a chat's updates
 * all go to one, {@link SpoolPartitions#of}. Partition n is a stream {@code <prefix>:p<n>:stream} of entries
 * {@code id} = the update's key, {@code env} = envelope JSON, and a hash {@code <prefix>:p<n>:index} key → stream entry
 * id (a Telegram key is its bare update_id). Any edge appends to any partition; append and remove are each one Lua
 * script, so the check-then-write is atomic across edges, and the append is the durable point the ack rests on.
 *
 * <p><b>Forwarding.</b> Each partition is forwarded by one edge at a time, the holder of its lease
 * ({@link PartitionLeases}), which reads it in stream order ({@link PartitionTail}) and feeds the forwarder with the
 * partition's fencing epoch. Telegram sends a chat's next update only once the previous one was acked, so stream order
 * is each chat's order whichever edges took its updates. Appends feed nothing themselves: an update reaches a
 * forwarder through its partition's stream, even when this edge holds it.
 *
 * <p><b>Bound.</b> {@code SPOOL_MAX_UPDATES} bounds the whole spool, all partitions together: the count of held
 * updates is the key {@code <prefix>:count}, kept by the same scripts. {@link #size} is that whole depth.
 *
 * <p><b>Upgrade.</b> Entries an earlier version left in the unpartitioned {@code <prefix>:stream} and
 * {@code <prefix>:index} are moved into their partitions at {@link #open}, one script per entry (an entry is moved
 * once however many edges try). Stop the edges of the earlier version first: they read only the old keys. The number
 * of partitions is kept in {@code <prefix>:partitions}; an edge whose SPOOL_PARTITIONS differs while the spool holds
 * updates refuses to start.
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
  private static final Backoff REMOVE_RETRY = new Backoff(200, 10_000);
  /** How long a graceful close waits for a partition's delivery in flight before leaving its lease to lapse. */
  private static final long CLOSE_IDLE_MS = 2_000;

  // The scripts answer the size with a version (bumped by every call): answers may come back out of order on a pool
  // of connections, and only the latest one says how many updates the spool holds now.
  // KEYS: stream, index, version, count. ARGV: update key, envelope JSON, max. Answers {code, size, version}: 1 stored,
  // 0 held, -1 full.
  private static final RedisScript APPEND = new RedisScript("""
      local version = redis.call('INCR', KEYS[3])
      local held = tonumber(redis.call('GET', KEYS[4]) or '0')
      if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
        return {0, held, version}
      end
      if held >= tonumber(ARGV[3]) then
        return {-1, held, version}
      end
      local entry = redis.call('XADD', KEYS[1], '*', 'id', ARGV[1], 'env', ARGV[2])
      redis.call('HSET', KEYS[2], ARGV[1], entry)
      return {1, redis.call('INCR', KEYS[4]), version}
      """);

  // KEYS: stream, index, version, count. ARGV: update key. Answers {removed 1/0, size, version}.
  private static final RedisScript REMOVE = new RedisScript("""
      local version = redis.call('INCR', KEYS[3])
      local entry = redis.call('HGET', KEYS[2], ARGV[1])
      if not entry then
        return {0, tonumber(redis.call('GET', KEYS[4]) or '0'), version}
      end
      redis.call('XDEL', KEYS[1], entry)
      redis.call('HDEL', KEYS[2], ARGV[1])
      local held = redis.call('DECR', KEYS[4])
      if held < 0 then
        redis.call('SET', KEYS[4], 0)
        held = 0
      end
      return {1, held, version}
      """);

  // KEYS: version, count. Answers {0, size, version}.
  private static final RedisScript SIZE = new RedisScript("""
      return {0, tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('INCR', KEYS[1])}
      """);

  // KEYS: count, partitions, then every partition's index. ARGV: partitions. Counts the spool the first time, and
  // answers {1, size}, or {-1, partitions before} when the spool holds updates under another number of partitions.
  private static final RedisScript INIT = new RedisScript("""
      local count = redis.call('GET', KEYS[1])
      local was = redis.call('GET', KEYS[2])
      if was and was ~= ARGV[1] and tonumber(count or '0') > 0 then
        return {-1, tonumber(was)}
      end
      redis.call('SET', KEYS[2], ARGV[1])
      if not count then
        count = 0
        for i = 3, #KEYS do
          count = count + redis.call('HLEN', KEYS[i])
        end
        redis.call('SET', KEYS[1], count)
      end
      return {1, tonumber(count)}
      """);

  // KEYS: old stream, old index, partition stream, partition index, count. ARGV: old entry id, update key, envelope.
  // Moves one entry of the unpartitioned spool; the XDEL makes a second edge's move of it a no-op.
  private static final RedisScript MOVE = new RedisScript("""
      if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then
        return 0
      end
      if redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[1] then
        redis.call('HDEL', KEYS[2], ARGV[2])
      end
      if redis.call('HEXISTS', KEYS[4], ARGV[2]) == 1 then
        return 0
      end
      local entry = redis.call('XADD', KEYS[3], '*', 'id', ARGV[2], 'env', ARGV[3])
      redis.call('HSET', KEYS[4], ARGV[2], entry)
      redis.call('INCR', KEYS[5])
      return 1
      """);

  private final Redis redis;
  private final String where;
  private final String prefix;
  private final int partitions;
  private final String versionKey;
  private final String countKey;
  private final int maxUpdates;
  private final RedisPersistence persistence;
  /** Null unless SPOOL_REDIS_WAITAOF=true. */
  private final AofGroupCommit fsynced;
  private final Vertx vertx;
  private final PartitionLeases leases;
  private final PartitionTail tail;
  private final AtomicInteger size = new AtomicInteger();
  /** The version of the answer {@link #size} was last taken from; guarded by {@code size}. */
  private long sizeVersion;
  /** Guards {@link #reachable} and {@link #downSince}. */
  private final Object outage = new Object();
  private boolean reachable = true;
  /** When the current outage was noticed (System.nanoTime). */
  private long downSince;
  private volatile boolean closed;
  private SpoolFeed feed;
  private Context context;
  private long sizeTimer = -1;

  public RedisSpool(Vertx vertx, SplitbotConfig.Redis redisConfig, SplitbotConfig.Delivery delivery, String keyPrefix) {
    if (delivery.spoolMaxUpdates() < 1) {
      throw new IllegalArgumentException("maxUpdates must be at least 1");
    }
    if (delivery.spoolPartitions() < 1 || delivery.spoolPartitions() > SpoolPartitions.MAX) {
      throw new IllegalArgumentException("partitions must be between 1 and " + SpoolPartitions.MAX);
    }
    this.vertx = vertx;
    this.redis = RedisClients.create(vertx, redisConfig);
    this.where = "REDIS_URL"; // the variable, not its host: no hosts in logs
    this.prefix = keyPrefix;
    this.partitions = delivery.spoolPartitions();
    this.versionKey = keyPrefix + ":version";
    this.countKey = keyPrefix + ":count";
    this.maxUpdates = delivery.spoolMaxUpdates();
    // WAITAOF's own wait stays inside the client's timeout, so Redis answers "not yet" before the client gives up.
    long waitAofMs = Math.max(1, redisConfig.commandTimeoutMs() * 3 / 4);
    this.persistence = new RedisPersistence(redis, where, delivery.spoolRedisVolatile(), delivery.spoolRedisWaitAof(), waitAofMs);
    this.fsynced = delivery.spoolRedisWaitAof() ? new AofGroupCommit(this::batch, waitAofMs) : null;
    this.leases = new PartitionLeases(vertx, this::send, keyPrefix, partitions, new PartitionLeases.Listener() {
      @Override
      public void acquired(SpoolFence fence) {
        tail.start(fence);
      }

      @Override
      public void stopped(int partition) {
        tail.stop(partition);
        feed.revoke(partition);
      }

      @Override
      public Future<Void> idle(int partition) {
        return feed.idle(partition);
      }
    });
    this.tail = new PartitionTail(vertx, RedisClients.create(vertx, redisConfig), this::send, n -> partitionKey(n, "stream"), this::entry,
        redisConfig.commandTimeoutMs());
  }

  /**
   * Counts the spool, moves what an earlier version left in the unpartitioned keys into the partitions, then joins
   * the edges: from then on the partitions this edge holds are fed to {@code feed}, on the caller's context.
   */
  @Override
  public Future<Void> open(SpoolFeed feed) {
    this.feed = feed;
    this.context = vertx.getOrCreateContext();
    return persistence.check()
        .compose(v -> count())
        .compose(v -> upgrade("-", new AtomicInteger()))
        .map(v -> {
          context.runOnContext(x -> {
            if (!closed) {
              leases.start();
              sizeTimer = vertx.setPeriodic(PartitionLeases.RENEW_MS, t -> refreshSize());
            }
          });
          log.info("Redis spool {} at {} opened: {} updates held in {} partitions", prefix, where, size(), partitions);
          return (Void) null;
        })
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "cannot open Redis spool " + prefix + " at " + where + ": " + e.getMessage(), e)));
  }

  private Future<Void> count() {
    List<String> keys = new ArrayList<>(List.of(countKey, prefix + ":partitions"));
    for (int n = 0; n < partitions; n++) {
      keys.add(partitionKey(n, "index"));
    }
    return INIT.run(this::send, keys, Integer.toString(partitions)).compose(answer -> {
      if (answer.get(0).toInteger() < 0) {
        return Future.failedFuture(new IllegalStateException("SPOOL_PARTITIONS=" + partitions + ", but the spool holds updates in "
            + answer.get(1).toInteger() + " partitions: every edge must use the same number, and it can change only once the spool is empty"));
      }
      size.set(answer.get(1).toInteger());
      return Future.succeededFuture();
    });
  }

  /** Moves the unpartitioned spool's entries, page by page; an unreadable one is logged and left where it is. */
  private Future<Void> upgrade(String from, AtomicInteger moved) {
    String oldStream = prefix + ":stream";
    return send(Request.cmd(Command.XRANGE).arg(oldStream).arg(from).arg("+").arg("COUNT").arg(PAGE)).compose(page -> {
      Future<Void> done = Future.succeededFuture();
      String last = null;
      for (Response entry : page) {
        String id = entry.get(0).toString();
        last = id;
        UpdateEnvelope update = readable(oldStream, id, entry.get(1));
        if (update != null) {
          int n = partition(update);
          List<String> keys = List.of(oldStream, prefix + ":index", partitionKey(n, "stream"), partitionKey(n, "index"), countKey);
          done = done.compose(v -> MOVE.run(this::send, keys, id, update.key(), update.toJson().encode())
              .map(answer -> {
                moved.addAndGet(answer.toInteger());
                return null;
              }));
        }
      }
      String next = last;
      return done.compose(v -> {
        if (page.size() == PAGE) {
          return upgrade("(" + next, moved);
        }
        if (moved.get() > 0) {
          log.info("Redis spool {}: moved {} updates an earlier version left in {} into their partitions", prefix, moved.get(), oldStream);
        }
        return refreshSize();
      });
    });
  }

  /** A held partition's entry: its update goes to the forwarder with the partition's fence. */
  private void entry(SpoolFence fence, String stream, String entryId, Response fields) {
    UpdateEnvelope update = readable(stream, entryId, fields);
    if (update != null) {
      feed.submit(update, fence);
    }
  }

  /**
   * The entry's update, or null when it cannot be read (no env field, not JSON, not an envelope): that entry is
   * logged with its id and left in the stream for the operator, and the other updates are delivered.
   */
  private static UpdateEnvelope readable(String stream, String entryId, Response fields) {
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
        stream, entryId, reason, stream, entryId);
    return null;
  }

  @Override
  public Future<Appended> append(UpdateEnvelope update) {
    List<String> keys = keys(partition(update));
    String[] args = {update.key(), update.toJson().encode(), Integer.toString(maxUpdates)};
    // In a WAITAOF group the script goes as EVAL: one NOSCRIPT in a batch would fail the whole group.
    Future<Response> stored = fsynced == null ? APPEND.run(this::send, keys, args) : fsynced.submit(APPEND.request(Command.EVAL, keys, args));
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
   * spool's; until then the update stays spooled and counted, and its partition's next holder would resend it for
   * dedup to skip.
   */
  @Override
  public Future<Void> remove(UpdateEnvelope update) {
    return removeOnce(update).onFailure(e -> removeLater(update, 0));
  }

  private Future<Void> removeOnce(UpdateEnvelope update) {
    return REMOVE.run(this::send, keys(partition(update)), update.key())
        .map(answer -> {
          sized(answer);
          return null;
        });
  }

  private void removeLater(UpdateEnvelope update, int attempt) {
    if (closed) {
      return;
    }
    vertx.setTimer(REMOVE_RETRY.delayMs(attempt), t -> {
      if (!closed) {
        removeOnce(update).onFailure(e -> removeLater(update, attempt + 1));
      }
    });
  }

  @Override
  public Future<Boolean> holds(UpdateEnvelope update) {
    return send(Request.cmd(Command.HEXISTS).arg(partitionKey(partition(update), "index")).arg(update.key()))
        .map(answer -> answer.toInteger() == 1);
  }

  /** Other edges append and remove too: the whole depth is read again with each lease round. */
  private Future<Void> refreshSize() {
    return SIZE.run(this::send, List.of(versionKey, countKey)).map(answer -> {
      sized(answer);
      return null;
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

  /** Updates held by the whole spool, every partition and every edge's appends. */
  @Override
  public int size() {
    return size.get();
  }

  @Override
  public int partitionsHeld() {
    return leases.held();
  }

  @Override
  public void fenced(SpoolFence fence) {
    onContext(() -> leases.fenced(fence));
  }

  /**
   * Hands each held partition on once its delivery in flight is done (at most {@link #CLOSE_IDLE_MS}; a lease still
   * busy then is left to lapse), leaves the edges, and closes the client.
   */
  @Override
  public Future<Void> close() {
    return shutdown(true);
  }

  /** Tests: stops as a killed edge would, leaving its leases to lapse. */
  Future<Void> abandon() {
    return shutdown(false);
  }

  private Future<Void> shutdown(boolean release) {
    if (closed) {
      return Future.succeededFuture();
    }
    if (context == null) {
      closed = true;
      tail.close();
      return redis.close();
    }
    return Future.<Void>future(p -> context.runOnContext(v -> {
      vertx.cancelTimer(sizeTimer);
      tail.close();
      leases.stop(release, CLOSE_IDLE_MS).onComplete(p);
    })).eventually(() -> {
      closed = true;
      return redis.close();
    });
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else if (context != null) {
      context.runOnContext(v -> action.run());
    }
  }

  private int partition(UpdateEnvelope update) {
    return SpoolPartitions.of(update.lane(), partitions);
  }

  private List<String> keys(int partition) {
    return List.of(partitionKey(partition, "stream"), partitionKey(partition, "index"), versionKey, countKey);
  }

  private String partitionKey(int partition, String name) {
    return SpoolFence.partitionKey(prefix, partition, name);
  }

  private Future<Response> send(Request request) {
    long sent = System.nanoTime();
    return redis.send(request).andThen(result -> observe(result, sent));
  }

  private Future<List<Response>> batch(List<Request> requests) {
    long sent = System.nanoTime();
    return redis.batch(requests).andThen(result -> observe(result, sent));
  }

  /**
   * Logs each outage once, when it starts and when it ends. Commands run side by side (appends, the leases, the
   * tail), so only an answer to a command sent after the outage began says that it ended.
   */
  private void observe(AsyncResult<?> result, long sentNanos) {
    Throwable cause = result.cause();
    if (closed || Causes.anyIs(cause, ConnectionPoolTooBusyException.class)) {
      return; // our own shutdown, or a burst beyond the bounded queue: neither says Redis is down
    }
    // A Redis error reply is itself a Response: Redis is there, it refused the command.
    boolean answered = result.succeeded() || cause instanceof Response;
    // Answers complete on several threads: the flip and its time change together, or an answer to a command sent
    // before the outage could slip in between and end it.
    synchronized (outage) {
      if (answered) {
        if (!reachable && sentNanos - downSince > 0) {
          reachable = true;
          log.info("Redis spool at {} is reachable again", where);
        }
      } else if (reachable) {
        reachable = false;
        downSince = System.nanoTime();
        log.warn("Redis spool at {} is unreachable ({}); updates are refused with 503 until it is back", where, cause.toString());
      }
    }
  }
}
