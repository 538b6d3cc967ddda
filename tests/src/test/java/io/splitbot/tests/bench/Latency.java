package io.splitbot.tests.bench;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency histogram recorded in nanoseconds, shown in milliseconds. */
record Latency(long count, double p50, double p99, double p999, double max) {

  static Histogram histogram() {
    // 1 µs to 2 min at 3 significant digits.
    return new Histogram(1_000, 120_000_000_000L, 3);
  }

  static Latency of(Histogram h) {
    if (h.getTotalCount() == 0) {
      return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()));
  }

  static void record(Histogram h, long nanos) {
    h.recordValue(Math.max(1_000, Math.min(nanos, h.getHighestTrackableValue())));
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }

  static String fmt(double ms) {
    if (Double.isNaN(ms)) {
      return "–";
    }
    return ms < 10 ? String.format("%.2f", ms) : ms < 100 ? String.format("%.1f", ms) : String.format("%.0f", ms);
  }
}
