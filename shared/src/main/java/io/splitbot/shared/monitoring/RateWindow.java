package io.splitbot.shared.monitoring;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Turns ever-growing counters into "per minute" figures: once a second it keeps a snapshot of every tracked counter,
 * and {@link #perMinute()} is the growth since the oldest snapshot no older than a minute. In the first minute after
 * start that is the growth since start.
 */
public final class RateWindow {
  private static final long WINDOW_MS = 60_000;
  private static final long TICK_MS = 1_000;

  private record Snapshot(long atMillis, long[] values) {
  }

  private final Map<String, LongSupplier> counters = new LinkedHashMap<>();
  private final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>();
  private Vertx vertx;
  private long timer = -1;

  /** Adds a counter; call before {@link #start}. */
  public RateWindow track(String name, LongSupplier counter) {
    counters.put(name, counter);
    return this;
  }

  public synchronized RateWindow start(Vertx vertx) {
    this.vertx = vertx;
    snapshots.add(take());
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
    return this;
  }

  public synchronized void stop() {
    if (vertx != null && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Each counter's growth over the last minute (or since start), and the window it covers. */
  public synchronized JsonObject perMinute() {
    Snapshot now = take();
    Snapshot base = snapshots.isEmpty() ? now : snapshots.peekFirst();
    JsonObject out = new JsonObject();
    int i = 0;
    for (String name : counters.keySet()) {
      out.put(name, Math.max(0, now.values()[i] - base.values()[i]));
      i++;
    }
    return out.put("window_seconds", Math.round((now.atMillis() - base.atMillis()) / 1000.0));
  }

  private synchronized void tick() {
    Snapshot now = take();
    snapshots.add(now);
    // Keep the oldest snapshot that is still inside the window as the baseline.
    while (snapshots.size() > 1 && snapshots.peekFirst().atMillis() < now.atMillis() - WINDOW_MS) {
      snapshots.pollFirst();
    }
  }

  private Snapshot take() {
    long[] values = new long[counters.size()];
    int i = 0;
    for (LongSupplier counter : counters.values()) {
      values[i++] = counter.getAsLong();
    }
    return new Snapshot(System.currentTimeMillis(), values);
  }
}
