package io.splitbot.testkit;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Telegram's flood limits as the fake enforces them: about 30 messages per second overall (token bucket, burst
 * 30), 1 per second to one private chat (burst 3), 20 per minute to one group (any 60 s window).
 *
 * <p>It forgives {@value #SLACK_MS} ms of timing: a client paces its sends by its own clock, and the network
 * shifts arrivals a little. A client without a throttle still trips it at once.
 */
final class FakeFloodControl {
  static final long SLACK_MS = 200;
  private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(SLACK_MS);
  private static final long GROUP_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);

  private final Bucket global = new Bucket(30, 30);
  private final Map<String, Bucket> privateChats = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> groups = new HashMap<>();

  /** Counts the message and answers 0 when it is within the limits; otherwise the retry_after in seconds. */
  synchronized int admit(String chatKey, long now) {
    double waitNanos = global.waitNanos(now);
    Bucket chat = null;
    ArrayDeque<Long> group = null;
    if (chatKey != null && isGroup(chatKey)) {
      group = groups.computeIfAbsent(chatKey, k -> new ArrayDeque<>());
      while (!group.isEmpty() && now - group.peekFirst() >= GROUP_WINDOW_NANOS - SLACK_NANOS) {
        group.pollFirst();
      }
      if (group.size() >= 20) {
        waitNanos = Math.max(waitNanos, group.peekFirst() + GROUP_WINDOW_NANOS - SLACK_NANOS - now);
      }
    } else if (chatKey != null) {
      chat = privateChats.computeIfAbsent(chatKey, k -> new Bucket(3, 1));
      waitNanos = Math.max(waitNanos, chat.waitNanos(now));
    }
    if (waitNanos > 0) {
      return (int) Math.max(1, Math.ceil(waitNanos / 1e9));
    }
    global.take();
    if (chat != null) {
      chat.take();
    }
    if (group != null) {
      group.addLast(now);
    }
    return 0;
  }

  static boolean isGroup(String chatKey) {
    return chatKey.startsWith("-") || chatKey.startsWith("@");
  }

  private static final class Bucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long updatedAt = Long.MIN_VALUE;

    Bucket(double capacity, double perSecond) {
      this.capacity = capacity;
      this.perNano = perSecond / 1e9;
      this.tokens = capacity;
    }

    /** Nanoseconds until a token is due, with the slack already granted; refills first. */
    double waitNanos(long now) {
      if (updatedAt != Long.MIN_VALUE) {
        tokens = Math.min(capacity, tokens + (now - updatedAt) * perNano);
      }
      updatedAt = now;
      double needed = 1 - SLACK_NANOS * perNano;
      return tokens >= needed ? 0 : (needed - tokens) / perNano;
    }

    void take() {
      tokens -= 1;
    }
  }
}
