package io.splitbot.tests.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that nothing signals (an HTTP answer of another process, a counter bumped on an event
 * loop): looks again every {@link #EVERY_MS} until it holds, and fails after the timeout with {@code failure}'s text.
 */
public final class Poll {
  static final long EVERY_MS = 20;

  private Poll() {
  }

  public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(EVERY_MS));
    }
  }
}
