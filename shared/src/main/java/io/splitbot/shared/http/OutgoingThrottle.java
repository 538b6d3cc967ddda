package io.splitbot.shared.http;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps outgoing calls within a platform's published limits ({@link Limits}): a global token bucket
 * ({@code globalPerSecond}, burst of {@code globalBurst}), per private chat a token bucket ({@code chatPerSecond}, burst of
 * {@value #CHAT_BURST}), and per group or channel (chat id starting with "-" or "@") at most {@code groupPerMinute}
 * messages in any 60 s window. A platform that publishes no per-chat or per-group limit leaves them out; its chats
 * still keep their order.
 *
 * <p>Each chat has a FIFO lane that runs <em>one task at a time</em>: a task starts when it is first in its lane
 * and both its chat limit and the global limit allow a message, and the next task of that chat starts only when
 * the previous task's future has completed. Tasks for different chats run concurrently. Waiting uses Vert.x timers,
 * never a blocked thread. A task that sends again (a retry) takes a fresh permit with {@link #permit(String)}.
 *
 * <p>Thread-safe: the state is guarded by this object's monitor, held only for short, non-blocking sections.
 * Timers run on the context that created the throttle, so undeploying some caller's verticle cannot cancel them.
 */
public final class OutgoingThrottle {
  /** Messages a private chat may receive at once before the per-second rate applies. */
  static final int CHAT_BURST = 3;
  private static final long GROUP_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);
  private static final long SWEEP_PERIOD_MS = 60_000;

  /** The rate limits share this shape so a lane need not know which kind it has. */
  interface Limit {
    long nanosUntilAvailable(long now);

    void take(long now);

    boolean isIdle(long now);
  }

  /**
   * The limits one platform publishes. The global bucket holds {@code globalBurst} calls and refills at
   * {@code globalPerSecond}; {@code chatPerSecond} 0 means no per-chat limit and {@code groupPerMinute} 0 no per-group
   * limit.
   */
  public record Limits(double globalPerSecond, double globalBurst, double chatPerSecond, int groupPerMinute) {
    public Limits {
      if (globalPerSecond <= 0 || globalBurst < 1 || chatPerSecond < 0 || groupPerMinute < 0) {
        throw new IllegalArgumentException("rate limits must be positive (0 for none, except the global one)");
      }
    }

    /** Flood limits as Telegram counts them: a burst of a second's worth overall, then the rate; per chat and group. */
    public static Limits flood(double globalPerSecond, double chatPerSecond, int groupPerMinute) {
      return new Limits(globalPerSecond, Math.max(1, globalPerSecond), chatPerSecond, groupPerMinute);
    }

    /**
     * One overall rate with no burst, the calls evenly spaced, so no second ever holds more than about
     * {@code perSecond} of them: for a platform that counts every request per second and names no other limit.
     */
    public static Limits evenly(double perSecond) {
      return new Limits(perSecond, 1, 0, 0);
    }
  }

  private final Vertx vertx;
  private final Context home;
  private final Limits limits;
  private final TokenBucket global;
  private final Map<String, Lane> lanes = new HashMap<>();
  // Calls that post without a chat id (inline message edits): only the global limit applies, no ordering.
  private final Lane unkeyed = new Lane(null, false);
  private volatile long sweepTimer = -1;
  private boolean closed;

  public OutgoingThrottle(Vertx vertx, Limits limits) {
    this.vertx = vertx;
    this.home = vertx.getOrCreateContext();
    this.limits = limits;
    this.global = new TokenBucket(limits.globalBurst(), limits.globalPerSecond(), System.nanoTime());
    home.runOnContext(v -> {
      // Forget idle chats, so memory follows the number of active chats, not of all chats ever served.
      long id = vertx.setPeriodic(SWEEP_PERIOD_MS, t -> sweep());
      synchronized (this) {
        if (closed) {
          vertx.cancelTimer(id);
        } else {
          sweepTimer = id;
        }
      }
    });
  }

  static boolean isGroup(String chatKey) {
    return chatKey.startsWith("-") || chatKey.startsWith("@");
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
      lane = laneFor(chatKey);
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
      if (sweepTimer >= 0) {
        vertx.cancelTimer(sweepTimer);
      }
      dropped.addAll(unkeyed.queue);
      unkeyed.queue.clear();
      for (Lane lane : lanes.values()) {
        dropped.addAll(lane.queue);
      }
      lanes.clear();
    }
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

  /** Starts every task of the lane that may start now, or arms one timer for when the first one may. */
  private void drain(Lane lane) {
    List<Queued> ready = new ArrayList<>(1);
    synchronized (this) {
      while (!closed && !lane.queue.isEmpty() && !lane.busy && !lane.timerArmed) {
        long now = System.nanoTime();
        long wait = waitNanos(lane, now);
        if (wait > 0) {
          lane.timerArmed = true;
          later(wait, () -> {
            synchronized (this) {
              lane.timerArmed = false;
            }
            drain(lane);
          });
          break;
        }
        take(lane, now);
        ready.add(lane.queue.poll());
        lane.busy = lane.serial;
      }
    }
    // Started outside the monitor: a task may complete synchronously and re-enter drain().
    ready.forEach(q -> q.start().run());
  }

  private void tryPermit(String chatKey, Promise<Void> promise) {
    long wait;
    synchronized (this) {
      if (closed) {
        promise.tryFail(closedError());
        return;
      }
      Lane lane = laneFor(chatKey);
      long now = System.nanoTime();
      wait = waitNanos(lane, now);
      if (wait <= 0) {
        take(lane, now);
      }
    }
    if (wait <= 0) {
      promise.tryComplete();
    } else {
      later(wait, () -> tryPermit(chatKey, promise));
    }
  }

  private long waitNanos(Lane lane, long now) {
    long chatWait = lane.limit == null ? 0 : lane.limit.nanosUntilAvailable(now);
    return Math.max(chatWait, global.nanosUntilAvailable(now));
  }

  private void take(Lane lane, long now) {
    if (lane.limit != null) {
      lane.limit.take(now);
    }
    global.take(now);
  }

  private Lane laneFor(String chatKey) {
    if (chatKey == null) {
      return unkeyed;
    }
    return lanes.computeIfAbsent(chatKey, key -> new Lane(chatLimit(key), true));
  }

  /** The chat's own limit, or null when the platform publishes none for its kind of chat. */
  private Limit chatLimit(String chatKey) {
    if (isGroup(chatKey)) {
      return limits.groupPerMinute() == 0 ? null : new SlidingWindow(limits.groupPerMinute(), GROUP_WINDOW_NANOS);
    }
    double perSecond = limits.chatPerSecond();
    return perSecond == 0 ? null : new TokenBucket(Math.max(CHAT_BURST, perSecond), perSecond, System.nanoTime());
  }

  private void later(long nanos, Runnable action) {
    long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    home.runOnContext(v -> vertx.setTimer(ms, id -> action.run()));
  }

  private synchronized void sweep() {
    long now = System.nanoTime();
    Iterator<Lane> it = lanes.values().iterator();
    while (it.hasNext()) {
      Lane lane = it.next();
      // Only a full limit can be forgotten: dropping a half-used one would grant a fresh burst.
      if (lane.queue.isEmpty() && !lane.busy && !lane.timerArmed && (lane.limit == null || lane.limit.isIdle(now))) {
        it.remove();
      }
    }
  }

  private static IllegalStateException closedError() {
    return new IllegalStateException("API client is closed");
  }

  private record Queued(Runnable start, Consumer<Throwable> abort) {
  }

  private static final class Lane {
    final Limit limit;
    final boolean serial;
    final ArrayDeque<Queued> queue = new ArrayDeque<>();
    boolean busy;
    boolean timerArmed;

    Lane(Limit limit, boolean serial) {
      this.limit = limit;
      this.serial = serial;
    }
  }

  /** At most {@code max} messages in any window of {@code windowNanos}, as Telegram counts group messages. */
  static final class SlidingWindow implements Limit {
    private final int max;
    private final long windowNanos;
    private final ArrayDeque<Long> sentAt = new ArrayDeque<>();

    SlidingWindow(int max, long windowNanos) {
      this.max = max;
      this.windowNanos = windowNanos;
    }

    @Override
    public long nanosUntilAvailable(long now) {
      prune(now);
      return sentAt.size() < max ? 0 : sentAt.peekFirst() + windowNanos - now;
    }

    @Override
    public void take(long now) {
      prune(now);
      sentAt.addLast(now);
    }

    @Override
    public boolean isIdle(long now) {
      prune(now);
      return sentAt.isEmpty();
    }

    private void prune(long now) {
      while (!sentAt.isEmpty() && now - sentAt.peekFirst() >= windowNanos) {
        sentAt.pollFirst();
      }
    }
  }
}
