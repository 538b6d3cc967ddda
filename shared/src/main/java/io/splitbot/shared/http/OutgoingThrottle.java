package io.splitbot.shared.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
 * <p>Each chat has a FIFO lane that runs <em>one task at a time</em>: a task starts when it is first in its lane and
 * the gate gave it a permit, and the next task of that chat asks only when the previous task's future has completed.
 * Tasks for different chats run concurrently. Waiting uses Vert.x timers, never a blocked thread. A task that sends
 * again (a retry) takes a fresh permit with {@link #permit(String)}.
 *
 * <p>Thread-safe: the lanes are guarded by this object's monitor, held only for short, non-blocking sections.
 * Timers run on the context that created the throttle, so undeploying some caller's verticle cannot cancel them.
 */
public final class OutgoingThrottle {
  /**
   * The limits one platform publishes. The global bucket holds {@code globalBurst} calls and refills at
   * {@code globalPerSecond}; a private chat's bucket holds {@code chatBurst} and refills at {@code chatPerSecond} (0: no
   * per-chat limit); a group takes {@code groupPerMinute} in any 60 s (0: no per-group limit). A platform that
   * publishes no per-chat or per-group limit leaves them out; its chats still keep their order.
   */
  public record Limits(double globalPerSecond, double globalBurst, double chatPerSecond, double chatBurst,
      int groupPerMinute) {
    /** Messages a private chat may receive at once before the per-second rate applies, as Telegram allows. */
    static final int CHAT_BURST = 3;

    public Limits {
      if (globalPerSecond <= 0 || globalBurst < 1 || chatPerSecond < 0 || chatBurst < 1 || groupPerMinute < 0) {
        throw new IllegalArgumentException("rate limits must be positive (0 for none, except the global one)");
      }
    }

    /** Flood limits as Telegram counts them: a burst of a second's worth overall, then the rate; per chat and group. */
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

    /** A {@code share}th of every limit (bursts and a group's count at least 1): one of {@code share} senders' part. */
    public Limits dividedBy(int share) {
      if (share <= 1) {
        return this;
      }
      return new Limits(globalPerSecond / share, Math.max(1, globalBurst / share), chatPerSecond / share,
          Math.max(1, chatBurst / share), groupPerMinute == 0 ? 0 : Math.max(1, groupPerMinute / share));
    }
  }

  /** How long a lane waits to ask again should a gate break its word and fail. */
  private static final long FAILED_ANSWER_WAIT_MS = 100;

  private final Vertx vertx;
  private final Context home;
  private final RateGate gate;
  private final Map<String, Lane> lanes = new HashMap<>();
  // Calls that post without a chat id (inline message edits): only the global limit applies, no ordering.
  private final Lane unkeyed = new Lane(null, false);
  private boolean closed;

  /** Counts the limits in this process. */
  public OutgoingThrottle(Vertx vertx, Limits limits) {
    this(vertx, new LocalRateGate(limits));
  }

  public OutgoingThrottle(Vertx vertx, RateGate gate) {
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
    this.gate = gate;
  }

  /**
   * Runs {@code task} when its chat's lane and the limits allow, and completes with the task's outcome.
   * {@code chatKey} null means no chat: global limit only, no ordering.
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
   * Waits for one more message allowance for a task already running in {@code chatKey}'s lane, e.g. to resend
   * after a 429 or a 5xx. It does not queue behind the lane, since the lane is held by that very task.
   */
  public Future<Void> permit(String chatKey) {
    Promise<Void> promise = Promise.promise();
    tryPermit(chatKey, promise);
    return promise.future();
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

  /**
   * Asks the gate for the lane's first task while the lane may start one: starts it on a permit, or arms one timer to
   * ask again. At most one question per lane is open, so a lane's tasks start in their order.
   */
  private void drain(Lane lane) {
    while (true) {
      synchronized (this) {
        if (closed || lane.queue.isEmpty() || lane.busy || lane.asking) {
          forgetIfIdle(lane);
          return;
        }
        lane.asking = true;
      }
      Future<Long> answer = gate.acquire(lane.chatKey);
      if (!answer.isComplete()) {
        answer.onComplete(ar -> {
          if (onAnswer(lane, ar.succeeded() ? ar.result() : FAILED_ANSWER_WAIT_MS)) {
            drain(lane);
          }
        });
        return;
      }
      // A local gate answers at once: loop rather than recurse, a keyless lane may start many tasks in a row.
      if (!onAnswer(lane, answer.succeeded() ? answer.result() : FAILED_ANSWER_WAIT_MS)) {
        return;
      }
    }
  }

  /** Starts the lane's first task on a permit (and says so), or waits {@code waitMs} and asks again. */
  private boolean onAnswer(Lane lane, long waitMs) {
    if (waitMs > 0) {
      later(waitMs, () -> {
        synchronized (this) {
          lane.asking = false;
        }
        drain(lane);
      });
      return false;
    }
    Queued first;
    synchronized (this) {
      lane.asking = false;
      first = closed ? null : lane.queue.poll();
      if (first != null) {
        lane.busy = lane.serial;
      }
    }
    // Started outside the monitor: a task may complete synchronously and re-enter drain().
    if (first != null) {
      first.start().run();
    }
    return first != null;
  }

  /** A chat's lane lives while it has work, so memory follows the chats being served. */
  private void forgetIfIdle(Lane lane) {
    if (lane.serial && lane.queue.isEmpty() && !lane.busy && !lane.asking) {
      lanes.remove(lane.chatKey, lane);
    }
  }

  private void tryPermit(String chatKey, Promise<Void> promise) {
    synchronized (this) {
      if (closed) {
        promise.tryFail(closedError());
        return;
      }
    }
    gate.acquire(chatKey).onComplete(ar -> {
      long waitMs = ar.succeeded() ? ar.result() : FAILED_ANSWER_WAIT_MS;
      if (waitMs <= 0) {
        promise.tryComplete();
      } else {
        later(waitMs, () -> tryPermit(chatKey, promise));
      }
    });
  }

  private void later(long ms, Runnable action) {
    home.runOnContext(v -> vertx.setTimer(Math.max(1, ms), id -> action.run()));
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
    /** A question to the gate, or the timer to ask again, is open. */
    boolean asking;

    Lane(String chatKey, boolean serial) {
      this.chatKey = chatKey;
      this.serial = serial;
    }
  }
}
