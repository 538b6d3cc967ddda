package io.splitbot.shared.http;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The limits counted in this process ({@link OutgoingThrottle.Limits}): a global sliding window, per private chat a
 * token bucket ({@code chatPerSecond}, burst of {@code chatBurst}), and per group or channel (chat id starting with
 * "-" or "@") at most {@code groupPerMinute} sends in any 60 s window. A chat whose limit is full again is forgotten,
 * so memory follows the chats active in the last minute. Thread-safe; answers at once.
 */
final class LocalRateGate implements RateGate {
  static final long GROUP_WINDOW_MS = 60_000;
  private static final long SWEEP_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(60);

  /** The rate limits share this shape so the gate need not know which kind a chat has. */
  interface Limit {
    long nanosUntilAvailable(long now);

    void take(long now);

    boolean isIdle(long now);
  }

  private final OutgoingThrottle.Limits limits;
  private final SlidingWindow global;
  private final Map<String, Limit> chats = new HashMap<>();
  private long sweptAt = System.nanoTime();

  LocalRateGate(OutgoingThrottle.Limits limits) {
    this.limits = limits;
    this.global = new SlidingWindow(limits.globalCount(), TimeUnit.MILLISECONDS.toNanos(limits.globalWindowMs()));
  }

  /** A group or channel: Telegram counts its messages per minute, not per second. */
  static boolean isGroup(String chatKey) {
    return chatKey.startsWith("-") || chatKey.startsWith("@");
  }

  @Override
  public Future<RateGate.Answer> acquire(String chatKey) {
    return Future.succeededFuture(acquireNow(chatKey));
  }

  /** As {@link #acquire}, answered in the caller's thread. */
  synchronized RateGate.Answer acquireNow(String chatKey) {
    long now = System.nanoTime();
    if (now - sweptAt >= SWEEP_PERIOD_NANOS) {
      sweep(now);
    }
    Limit chat = chatKey == null ? null : chats.computeIfAbsent(chatKey, this::chatLimit);
    long chatWait = chat == null ? 0 : chat.nanosUntilAvailable(now);
    if (chatWait > 0) {
      return new RateGate.Answer(millis(chatWait), true);
    }
    long globalWait = global.nanosUntilAvailable(now);
    if (globalWait > 0) {
      return new RateGate.Answer(millis(globalWait), false);
    }
    if (chat != null) {
      chat.take(now);
    }
    global.take(now);
    return RateGate.Answer.GO;
  }

  private static long millis(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
  }

  /** The chat's own limit, or null when the platform publishes none for its kind of chat. */
  private Limit chatLimit(String chatKey) {
    if (isGroup(chatKey)) {
      return limits.groupPerMinute() == 0 ? null
          : new SlidingWindow(limits.groupPerMinute(), TimeUnit.MILLISECONDS.toNanos(GROUP_WINDOW_MS));
    }
    double perSecond = limits.chatPerSecond();
    return perSecond == 0 ? null : new TokenBucket(limits.chatBurst(), perSecond, System.nanoTime());
  }

  private void sweep(long now) {
    sweptAt = now;
    Iterator<Limit> it = chats.values().iterator();
    while (it.hasNext()) {
      Limit limit = it.next();
      // Only a full limit can be forgotten: dropping a half-used one would grant a fresh burst.
      if (limit.isIdle(now)) {
        it.remove();
      }
    }
  }

  /** At most {@code max} sends in any window of {@code windowNanos}, as Telegram counts a bot's and a group's messages. */
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
