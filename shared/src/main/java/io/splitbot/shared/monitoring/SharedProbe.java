package io.splitbot.shared.monitoring;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A health probe of one dependency that callers share: while one runs, every caller gets its future (single
 * flight), and its outcome answers everyone for {@code ttl} after it ends. However many health requests come in,
 * the dependency sees at most one probe per {@code ttl} plus the probe's own duration.
 */
public final class SharedProbe<T> {
  /**
   * Long enough that a flood of health requests (or several monitors polling) costs a dependency one call per
   * period, short enough that an outage shows at the next platform health check.
   */
  public static final long DEFAULT_TTL_MS = 2_000;

  private final Supplier<Future<T>> probe;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private Future<T> current;
  private long endedAt;

  public SharedProbe(Supplier<Future<T>> probe) {
    this(probe, DEFAULT_TTL_MS);
  }

  public SharedProbe(Supplier<Future<T>> probe, long ttlMs) {
    this(probe, ttlMs, System::nanoTime);
  }

  SharedProbe(Supplier<Future<T>> probe, long ttlMs, LongSupplier nanoClock) {
    this.probe = probe;
    this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMs);
    this.nanoClock = nanoClock;
  }

  public synchronized Future<T> get() {
    if (current != null && (!current.isComplete() || nanoClock.getAsLong() - endedAt < ttlNanos)) {
      return current;
    }
    Future<T> started = probe.get();
    current = started;
    started.onComplete(ar -> ended());
    return started;
  }

  private synchronized void ended() {
    endedAt = nanoClock.getAsLong();
  }
}
