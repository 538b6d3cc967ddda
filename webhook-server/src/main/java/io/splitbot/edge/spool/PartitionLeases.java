package io.splitbot.edge.spool;

import io.splitbot.shared.bus.SpoolFence;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases on a Redis spool's partitions that this edge holds: one forwarder per partition across all edges
 * (docs/SCALING.md, section 1).
 *
 * <ul>
 *   <li><b>Edges.</b> Every {@link #RENEW_MS} each edge puts itself in the sorted set {@code <prefix>:edges} (edge id →
 *   Redis's own clock, so edges' clocks need not agree) and drops those not seen for {@link #EDGE_STALE_MS}; the count
 *   is the live edges, and an edge holds at most {@code ceil(P / live edges)} partitions.</li>
 *   <li><b>Taking a partition.</b> {@code SET <prefix>:p<n>:lease <edge id>:<token> NX PX 6000} and, in the same
 *   script, {@code INCR <prefix>:p<n>:epoch}: the fencing epoch the forwards of this holder carry.</li>
 *   <li><b>Keeping it.</b> Renewed every {@link #RENEW_MS} by a compare-and-set script. A renewal answered "not
 *   yours" loses it at once; a renewal not answered at all loses it when the local clock reaches the send time of the
 *   last confirmed renewal + ttl − {@link #MARGIN_MS}, before Redis can let it lapse.</li>
 *   <li><b>Handing it on.</b> Beyond its share an edge gives up its highest partitions: it stops feeding them, waits
 *   until none of their updates is in flight, then deletes the lease if it is still its own, so the next holder
 *   starts after the chat in flight is done. {@link #stop} does the same for all (a graceful shutdown).</li>
 * </ul>
 *
 * Runs on the spool's context only.
 */
final class PartitionLeases {
  static final long TTL_MS = 6_000;
  static final long RENEW_MS = TTL_MS / 3;
  /** Stop this long before the lease could lapse without a confirmed renewal: room for clock drift and a slow answer. */
  static final long MARGIN_MS = 1_000;
  static final long EDGE_STALE_MS = 6_000;
  private static final Logger log = LoggerFactory.getLogger(PartitionLeases.class);

  // KEYS: edges. ARGV: edge id, stale ms. Answers the number of live edges.
  private static final RedisScript HEARTBEAT = new RedisScript("""
      local time = redis.call('TIME')
      local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      redis.call('ZADD', KEYS[1], now, ARGV[1])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
      return redis.call('ZCARD', KEYS[1])
      """);
  // KEYS: lease, epoch. ARGV: holder, ttl. Answers the new epoch, or 0 when the lease is held.
  private static final RedisScript ACQUIRE = new RedisScript("""
      if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return redis.call('INCR', KEYS[2]) end
      return 0
      """);
  // KEYS: lease. ARGV: holder, ttl. Answers 1 when still this holder's.
  private static final RedisScript RENEW = new RedisScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      return 0
      """);
  // KEYS: lease. ARGV: holder.
  private static final RedisScript RELEASE = new RedisScript("""
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """);

  /** What the spool does when a partition comes and goes. */
  interface Listener {
    /** This edge holds the partition now, under {@code fence}: read it from its oldest entry. */
    void acquired(SpoolFence fence);

    /** This edge no longer holds it (lost, or being handed on): stop feeding it at once. */
    void stopped(int partition);

    /** Completes once nothing of the partition is in flight. */
    Future<Void> idle(int partition);
  }

  private static final class Lease {
    final SpoolFence fence;
    final String holder;
    long expiry = -1;
    boolean handingOn;

    Lease(SpoolFence fence, String holder) {
      this.fence = fence;
      this.holder = holder;
    }
  }

  private final Vertx vertx;
  private final Function<Request, Future<Response>> send;
  private final String prefix;
  private final int partitions;
  private final String edgeId = UUID.randomUUID().toString();
  private final Listener listener;
  private final Map<Integer, Lease> held = new HashMap<>();
  private long timer = -1;
  private boolean balancing;
  private boolean stopped;

  PartitionLeases(Vertx vertx, Function<Request, Future<Response>> send, String prefix, int partitions, Listener listener) {
    this.vertx = vertx;
    this.send = send;
    this.prefix = prefix;
    this.partitions = partitions;
    this.listener = listener;
  }

  /** Joins the edges and takes this edge's share; call on the spool's context. */
  void start() {
    timer = vertx.setPeriodic(1, RENEW_MS, t -> tick());
  }

  /** Partitions held now (those being handed on included). */
  int held() {
    return held.size();
  }

  /** The worker refused a forward of {@code fence} as stale: another edge took the partition. */
  void fenced(SpoolFence fence) {
    Lease lease = held.get(fence.partition());
    if (lease != null && lease.fence.epoch() == fence.epoch()) {
      lose(lease, "the worker refused a forward under its epoch " + fence.epoch() + ": another edge holds it");
    }
  }

  /**
   * Stops renewing. {@code release}: give each lease up once its partition is idle (a partition still busy after
   * {@code idleMs} is left to lapse), and leave the edges: a graceful stop, so others take over at once. Otherwise
   * leave them all to lapse, as a killed edge does.
   */
  Future<Void> stop(boolean release, long idleMs) {
    stopped = true;
    vertx.cancelTimer(timer);
    if (!release) {
      held.values().forEach(lease -> vertx.cancelTimer(lease.expiry));
      held.clear();
      return Future.succeededFuture();
    }
    List<Future<Void>> handedOn = new ArrayList<>();
    new ArrayList<>(held.values()).forEach(lease -> handedOn.add(handOn(lease, idleMs)));
    return Future.join(handedOn)
        .transform(ar -> send.apply(Request.cmd(Command.ZREM).arg(key("edges")).arg(edgeId)))
        .transform(ar -> Future.succeededFuture());
  }

  /** Renews every round, whatever else is under way; balances when the last balancing round is done. */
  private void tick() {
    if (stopped) {
      return;
    }
    held.values().forEach(this::renew);
    if (balancing) {
      return;
    }
    balancing = true;
    HEARTBEAT.run(send, List.of(key("edges")), edgeId, Long.toString(EDGE_STALE_MS))
        .compose(live -> rebalance(Math.max(1, live.toInteger())))
        .onFailure(e -> log.debug("spool partitions: balancing skipped this round: {}", e.toString()))
        .onComplete(ar -> balancing = false);
  }

  private void renew(Lease lease) {
    long sent = System.nanoTime();
    RENEW.run(send, List.of(lease(lease.fence.partition())), lease.holder, Long.toString(TTL_MS)).onComplete(ar -> {
      if (held.get(lease.fence.partition()) != lease) {
        return;
      }
      if (ar.failed()) {
        // Unanswered: the lease may still be ours; the clock decides (see confirmed).
        return;
      }
      if (ar.result().toInteger() == 1) {
        confirmed(lease, sent);
      } else {
        lose(lease, "its lease is no longer this edge's (it lapsed, or another edge took it)");
      }
    });
  }

  /** The lease is ours until {@code sent} + ttl by Redis's count: stop a margin before that. */
  private void confirmed(Lease lease, long sentNanos) {
    vertx.cancelTimer(lease.expiry);
    long leftMs = TTL_MS - MARGIN_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentNanos);
    lease.expiry = vertx.setTimer(Math.max(1, leftMs), t -> {
      if (held.get(lease.fence.partition()) == lease) {
        lose(lease, "no renewal was confirmed in time, so the lease may lapse");
      }
    });
  }

  private void lose(Lease lease, String why) {
    held.remove(lease.fence.partition());
    vertx.cancelTimer(lease.expiry);
    log.warn("spool partition {}: stopped forwarding it: {}", lease.fence.partition(), why);
    listener.stopped(lease.fence.partition());
  }

  private Future<Void> rebalance(int liveEdges) {
    int share = (partitions + liveEdges - 1) / liveEdges;
    List<Lease> keeping = held.values().stream().filter(lease -> !lease.handingOn)
        .sorted(Comparator.comparingInt(lease -> lease.fence.partition())).toList();
    if (keeping.size() > share) {
      keeping.subList(share, keeping.size()).forEach(lease -> handOn(lease, 0));
      return Future.succeededFuture();
    }
    return keeping.size() < share ? acquire(share - keeping.size()) : Future.succeededFuture();
  }

  /** Takes up to {@code wanted} of the partitions no edge holds, in random order so edges starting together spread. */
  private Future<Void> acquire(int wanted) {
    Request mget = Request.cmd(Command.MGET);
    for (int n = 0; n < partitions; n++) {
      mget.arg(lease(n));
    }
    return send.apply(mget).compose(leases -> {
      List<Integer> free = new ArrayList<>();
      for (int n = 0; n < partitions; n++) {
        if (leases.get(n) == null && !held.containsKey(n)) {
          free.add(n);
        }
      }
      Collections.shuffle(free);
      return acquireFrom(free, 0, wanted);
    });
  }

  private Future<Void> acquireFrom(List<Integer> free, int next, int wanted) {
    if (wanted == 0 || next == free.size() || stopped) {
      return Future.succeededFuture();
    }
    int partition = free.get(next);
    String holder = edgeId + ":" + UUID.randomUUID();
    long sent = System.nanoTime();
    return ACQUIRE.run(send, List.of(lease(partition), SpoolFence.epochKey(prefix, partition)), holder, Long.toString(TTL_MS))
        .compose(epoch -> {
          if (epoch.toLong() == 0 || stopped) {
            return acquireFrom(free, next + 1, wanted);
          }
          Lease lease = new Lease(new SpoolFence(partition, epoch.toLong()), holder);
          held.put(partition, lease);
          confirmed(lease, sent);
          log.info("spool partition {}: forwarding it (epoch {})", partition, epoch.toLong());
          listener.acquired(lease.fence);
          return acquireFrom(free, next + 1, wanted - 1);
        });
  }

  /**
   * Stops feeding the partition, lets its update in flight finish, then gives the lease up if it is still ours.
   * {@code idleMs} (0: no bound) bounds the wait; past it the lease is left to lapse rather than handed on early.
   */
  private Future<Void> handOn(Lease lease, long idleMs) {
    if (lease.handingOn && idleMs == 0) {
      return Future.succeededFuture();
    }
    lease.handingOn = true;
    int partition = lease.fence.partition();
    listener.stopped(partition);
    Future<Void> idle = listener.idle(partition);
    return (idleMs > 0 ? idle.timeout(idleMs, TimeUnit.MILLISECONDS) : idle)
        .compose(v -> RELEASE.run(send, List.of(lease(partition)), lease.holder))
        .transform(ar -> {
          if (held.get(partition) == lease) {
            held.remove(partition);
            vertx.cancelTimer(lease.expiry);
            log.info("spool partition {}: handed on{}", partition, ar.failed() ? " (its lease will lapse: " + ar.cause() + ")" : "");
          }
          return Future.<Void>succeededFuture();
        });
  }

  private String lease(int partition) {
    return SpoolFence.partitionKey(prefix, partition, "lease");
  }

  private String key(String name) {
    return prefix + ":" + name;
  }
}
