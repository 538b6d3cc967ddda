package io.splitbot.shared.http;

/**
 * A token bucket on the {@link System#nanoTime()} clock: {@code capacity} tokens, refilled at {@code perSecond}.
 * Not thread-safe; {@link LocalRateGate} guards it.
 */
final class TokenBucket implements LocalRateGate.Limit {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double capacity;
  private final double perNano;
  private double tokens;
  private long updatedAt;

  TokenBucket(double capacity, double perSecond, long now) {
    if (capacity < 1 || perSecond <= 0) {
      throw new IllegalArgumentException("capacity must be >= 1 and rate > 0");
    }
    this.capacity = capacity;
    this.perNano = perSecond / NANOS_PER_SECOND;
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Nanoseconds until one token is available; 0 when one is available now. */
  @Override
  public long nanosUntilAvailable(long now) {
    refill(now);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
  }

  /** Takes one token; call only after {@link #nanosUntilAvailable} returned 0. */
  @Override
  public void take(long now) {
    refill(now);
    tokens -= 1;
  }

  /** A full bucket holds no history, so it can be dropped and recreated without letting extra messages through. */
  @Override
  public boolean isIdle(long now) {
    refill(now);
    return tokens >= capacity;
  }

  private void refill(long now) {
    long elapsed = now - updatedAt;
    if (elapsed > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perNano);
      updatedAt = now;
    }
  }
}
