package io.splitbot.tests.bench;

import io.splitbot.testkit.FakeTelegramApi;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * What became of the soak's updates ({@code /echo u<id>}, ids counted from {@code firstId}): when each was
 * scheduled, whether the edge acked it, how many replies named it, and the end-to-end time of each first reply, per
 * minute of the measured window (by the reply's arrival) and over the window (updates scheduled in it).
 */
final class SoakTally implements OpenLoop.Listener {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
  private static final int ACKED = 1;
  private static final int REFUSED = 2;

  private final long firstId;
  private final AtomicLongArray scheduled;
  private final AtomicIntegerArray ack;
  private final AtomicIntegerArray replies;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Histogram[] minutes;
  private final Histogram window = Latency.histogram();
  private volatile long measureFrom = Long.MAX_VALUE;
  private long replied;
  private long doubled;

  /** Room for {@code capacity} updates, and e2e histograms for {@code minuteCount} minutes. */
  SoakTally(long firstId, int capacity, int minuteCount) {
    this.firstId = firstId;
    scheduled = new AtomicLongArray(capacity);
    ack = new AtomicIntegerArray(capacity);
    replies = new AtomicIntegerArray(capacity);
    minutes = new Histogram[minuteCount];
    for (int i = 0; i < minuteCount; i++) {
      minutes[i] = Latency.histogram();
    }
  }

  /** The measured window opens now: minute 0 starts here, and earlier updates are the warm-up. */
  void measureFrom(long nanos) {
    measureFrom = nanos;
  }

  @Override
  public void sent(long updateId, long scheduledNanos) {
    int i = index(updateId);
    if (i >= 0) {
      scheduled.set(i, scheduledNanos);
      sent.incrementAndGet();
    }
  }

  @Override
  public void acked(long updateId, boolean ok) {
    int i = index(updateId);
    if (i >= 0) {
      ack.set(i, ok ? ACKED : REFUSED);
      (ok ? acked : refused).incrementAndGet();
    }
  }

  /** A call the fake Bot API recorded: a successful sendMessage whose text is {@code u<id>} is a reply. */
  synchronized void call(FakeTelegramApi.RecordedCall call) {
    String text = call.params().getString("text");
    if (!call.method().equals("sendMessage") || !call.ok() || text == null || !text.matches("u\\d+")) {
      return;
    }
    int i = index(Long.parseLong(text.substring(1)));
    if (i < 0) {
      return;
    }
    int n = replies.incrementAndGet(i);
    if (n == 2) {
      doubled++;
    }
    if (n != 1) {
      return;
    }
    replied++;
    long e2e = call.atNanos() - scheduled.get(i);
    long minute = Math.floorDiv(call.atNanos() - measureFrom, MINUTE);
    if (call.atNanos() >= measureFrom && minute < minutes.length) {
      Latency.record(minutes[(int) minute], e2e);
    }
    if (scheduled.get(i) >= measureFrom) {
      Latency.record(window, e2e);
    }
  }

  /** e2e of the first replies that arrived in minute {@code k} of the measured window. */
  synchronized Latency minute(int k) {
    return Latency.of(minutes[k]);
  }

  /** e2e of the updates scheduled in the measured window. */
  synchronized Latency window() {
    return Latency.of(window);
  }

  long sent() {
    return sent.get();
  }

  /** Updates the edge answered with something other than 200, or not at all. */
  long refused() {
    return refused.get();
  }

  /** Updates with at least one reply. */
  synchronized long replied() {
    return replied;
  }

  /** Updates with more than one reply. */
  synchronized long doubled() {
    return doubled;
  }

  /** Every update sent has its ack, and every acked one its reply. */
  synchronized boolean settled() {
    return acked.get() + refused.get() == sent.get() && replied >= acked.get();
  }

  /** Updates the edge acked with 200 that no reply named. */
  synchronized long lost() {
    long lost = 0;
    for (int i = 0; i < sent.get(); i++) {
      if (ack.get(i) == ACKED && replies.get(i) == 0) {
        lost++;
      }
    }
    return lost;
  }

  private int index(long updateId) {
    long i = updateId - firstId;
    return i >= 0 && i < scheduled.length() ? (int) i : -1;
  }
}
