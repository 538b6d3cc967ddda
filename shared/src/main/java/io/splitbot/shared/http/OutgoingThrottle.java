package io.splitbot.shared.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps outgoing calls within a platform's published limits ({@link Limits}) and each chat's calls in order. The
 * limits are counted by a {@link RateGate}: in this process ({@link LocalRateGate}), or in Redis for every worker of
 * the bot ({@link RedisRateGate}). The order is kept here, per process: the edge sends a chat's next update only once
 * the previous one is handled, so one process at a time sends for a chat.
 *
 * <p>Each chat has a FIFO lane that runs <em>one task at a time</em>: a task starts when it is first in its lane, and
 * the next task of that chat starts only when the previous task's future has completed. Tasks for different chats run
 * concurrently. A task takes its permit from the limits itself, with {@link #ask}, as the last step before each
 * request leaves (a retry takes a fresh one), so the limits hold where the platform counts them: on arrival. Waiting
 * uses Vert.x timers, never a blocked thread.
 *
 * <p>Thread-safe: the lanes are guarded by this object's monitor, held only for short, non-blocking sections.
 */
public final class OutgoingThrottle {
  /**
   * The limits one platform publishes. Globally at most {@code globalBurst} calls go out in any window of
   * {@code globalBurst / globalPerSecond} seconds, the window stretched by {@value #GLOBAL_GUARD} of itself
   * ({@link #globalCount()}, {@link #globalWindowMs()}): the platform counts calls as they arrive, and the guard lets
   * their way there vary by that much without any one second at the platform holding more than the rate. A private
   * chat's bucket holds {@code chatBurst} and refills at {@code chatPerSecond} (0: no
   * per-chat limit); a group takes {@code groupPerMinute} in any 60 s (0: no per-group limit). A platform that
   * publishes no per-chat or per-group limit leaves them out; its chats still keep their order.
   */
  public record Limits(double globalPerSecond, double globalBurst, double chatPerSecond, double chatBurst,
      int groupPerMinute) {
    /** Messages a private chat may receive at once before the per-second rate applies, as Telegram allows. */
    static final int CHAT_BURST = 3;
    /** How much longer than its nominal length the global window is kept (see above). */
    public static final double GLOBAL_GUARD = 0.25;

    public Limits {
      if (globalPerSecond <= 0 || globalBurst < 1 || chatPerSecond < 0 || chatBurst < 1 || groupPerMinute < 0) {
        throw new IllegalArgumentException("rate limits must be positive (0 for none, except the global one)");
      }
    }

    /** Flood limits as Telegram counts them: a second's worth in any second overall; per chat and per group. */
    public static Limits flood(double globalPerSecond, double chatPerSecond, int groupPerMinute) {
      return new Limits(globalPerSecond, Math.max(1, globalPerSecond), chatPerSecond, Math.max(CHAT_BURST, chatPerSecond),
          groupPerMinute);
    }

    /**
     * One overall rate with no burst, the calls evenly spaced, so no second ever holds more than about
     * {@code perSecond} of them: for a platform that counts every request per second and names no other limit.
     */
    public static Limits evenly(double perSecond) {
      return new Limits(perSecond, 1, 0, 1, 0);
    }

    /** Calls allowed in one global window: the burst, whole. */
    public int globalCount() {
      return (int) Math.max(1, Math.floor(globalBurst));
    }

    /** The global window's length in ms, the guard included. */
    public long globalWindowMs() {
      return (long) Math.ceil(globalCount() / globalPerSecond * 1000 * (1 + GLOBAL_GUARD));
    }

    /** A {@code share}th of every limit (bursts and a group's count at least 1): one of {@code share} senders' part. */
    public Limits dividedBy(int share) {
      if (share <= 1) {
        return this;
      }
      return new Limits(globalPerSecond / share, Math.max(1, globalBurst / share), chatPerSecond / share,
          Math.max(1, chatBurst / share), groupPerMinute == 0 ? 0 : Math.max(1, groupPerMinute / share));
    }
  }

  /** How long a sender waits to ask again should a gate break its word and fail. */
  private static final long FAILED_ANSWER_WAIT_MS = 100;

  private final RateGate gate;
  private final Map<String, Lane> lanes = new HashMap<>();
  // Calls that post without a chat id (inline message edits): only the global limit applies, no ordering.
  private final Lane unkeyed = new Lane(null, false);
  private boolean closed;

  /** Counts the limits in this process. */
  public OutgoingThrottle(Limits limits) {
    this(new LocalRateGate(limits));
  }

  public OutgoingThrottle(RateGate gate) {
    this.gate = gate;
  }

  /**
   * Runs {@code task} when it is first in its chat's lane, and completes with the task's outcome. {@code chatKey} null
   * means no chat: no ordering.
   */
  public <T> Future<T> submit(String chatKey, Supplier<Future<T>> task) {
    Promise<T> promise = Promise.promise();
    Lane lane;
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(closedError());
      }
      lane = chatKey == null ? unkeyed : lanes.computeIfAbsent(chatKey, key -> new Lane(key, true));
      lane.queue.add(new Queued(() -> run(lane, task, promise), promise::tryFail));
    }
    drain(lane);
    return promise.future();
  }

  /**
   * Asks the gate once for a permit for one request to {@code chatKey} (null: the global limit only). The sender asks
   * as the last step before its request leaves (a retry asks again), so the limits hold where the platform counts
   * them: on arrival. Fails only once the throttle is closed.
   */
  public Future<RateGate.Answer> ask(String chatKey) {
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(closedError());
      }
    }
    return gate.acquire(chatKey).otherwise(e -> new RateGate.Answer(FAILED_ANSWER_WAIT_MS, true));
  }

  /** Tasks waiting in lanes, not yet started. */
  public synchronized int waiting() {
    int n = unkeyed.queue.size();
    for (Lane lane : lanes.values()) {
      n += lane.queue.size();
    }
    return n;
  }

  /** Fails every waiting task; tasks already started finish on their own. */
  public void close() {
    List<Queued> dropped = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      dropped.addAll(unkeyed.queue);
      unkeyed.queue.clear();
      for (Lane lane : lanes.values()) {
        dropped.addAll(lane.queue);
      }
      lanes.clear();
    }
    gate.close();
    dropped.forEach(q -> q.abort().accept(closedError()));
  }

  private <T> void run(Lane lane, Supplier<Future<T>> task, Promise<T> promise) {
    Future<T> outcome;
    try {
      outcome = task.get();
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.onComplete(ar -> {
      synchronized (this) {
        lane.busy = false;
      }
      drain(lane);
      promise.handle(ar);
    });
  }

  /** Starts the lane's first task while the lane may start one. */
  private void drain(Lane lane) {
    while (true) {
      Queued first;
      synchronized (this) {
        if (closed || lane.queue.isEmpty() || lane.busy) {
          forgetIfIdle(lane);
          return;
        }
        first = lane.queue.poll();
        lane.busy = lane.serial;
      }
      // Started outside the monitor: a task may complete synchronously and re-enter drain().
      first.start().run();
    }
  }

  /** A chat's lane lives while it has work, so memory follows the chats being served. */
  private void forgetIfIdle(Lane lane) {
    if (lane.serial && lane.queue.isEmpty() && !lane.busy) {
      lanes.remove(lane.chatKey, lane);
    }
  }

  private static IllegalStateException closedError() {
    return new IllegalStateException("API client is closed");
  }

  private record Queued(Runnable start, Consumer<Throwable> abort) {
  }

  private static final class Lane {
    final String chatKey;
    final boolean serial;
    final ArrayDeque<Queued> queue = new ArrayDeque<>();
    boolean busy;

    Lane(String chatKey, boolean serial) {
      this.chatKey = chatKey;
      this.serial = serial;
    }
  }
}
