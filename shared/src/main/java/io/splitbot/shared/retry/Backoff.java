package io.splitbot.shared.retry;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: attempt n waits a random time in [base*2^n / 2, base*2^n], capped. */
public record Backoff(long baseMs, long capMs) {

  public long delayMs(int attempt) {
    long ceiling = Math.min(capMs, baseMs << Math.min(attempt, 30));
    long floor = ceiling / 2;
    return floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1);
  }
}
