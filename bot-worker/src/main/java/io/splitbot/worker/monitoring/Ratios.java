package io.splitbot.worker.monitoring;

/** The shares monitoring answers with: four decimals, and null where there is nothing to divide. */
final class Ratios {
  private Ratios() {
  }

  /** {@code part / whole}, or null when {@code whole} is 0. */
  static Double of(long part, long whole) {
    return whole == 0 ? null : round((double) part / whole);
  }

  static double round(double share) {
    return Math.round(share * 10_000.0) / 10_000.0;
  }
}
