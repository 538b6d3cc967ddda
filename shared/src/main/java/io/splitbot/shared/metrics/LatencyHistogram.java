package io.splitbot.shared.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A latency distribution read from timers that publish a percentile histogram: how many observations fell in each
 * bucket (keyed by its upper bound in ms; only buckets that hold any, each with the bucket below it so its lower bound is
 * known), since the timers began. The difference of two
 * readings is what happened between them, and its quantiles are what Prometheus' {@code histogram_quantile} gives for
 * that span. As JSON ({@code {"count", "buckets": {"<ms>": n}}}) the readings of several processes add up key by key.
 *
 * @param count every observation, those above the highest bucket included
 * @param buckets observations per bucket, by the bucket's upper bound in ms (not cumulative; 0 for a bucket kept as
 *     the lower bound of the next)
 */
public record LatencyHistogram(long count, TreeMap<Double, Long> buckets) {
  public static final LatencyHistogram EMPTY = new LatencyHistogram(0, new TreeMap<>());

  /** The timers' histograms added up (every timer of one name has the same buckets). */
  public static LatencyHistogram of(Iterable<Timer> timers) {
    long count = 0;
    TreeMap<Double, Long> buckets = new TreeMap<>();
    for (Timer timer : timers) {
      HistogramSnapshot snapshot = timer.takeSnapshot();
      count += snapshot.count();
      // Micrometer's Prometheus timers count cumulatively (each bucket holds every observation up to its bound).
      double below = 0;
      Double previous = null;
      for (CountAtBucket bucket : snapshot.histogramCounts()) {
        long inside = Math.round(bucket.count() - below);
        below = bucket.count();
        double bound = bucket.bucket(TimeUnit.MILLISECONDS);
        if (inside > 0) {
          buckets.merge(bound, inside, Long::sum);
          if (previous != null) {
            buckets.putIfAbsent(previous, 0L); // marks where this bucket starts
          }
        }
        previous = bound;
      }
    }
    return new LatencyHistogram(count, buckets);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    buckets.forEach((bound, n) -> json.put(String.valueOf(bound), n));
    return new JsonObject().put("count", count).put("buckets", json);
  }

  /** A reading as {@link #toJson()} writes it; anything missing or malformed reads as nothing observed. */
  public static LatencyHistogram fromJson(JsonObject json) {
    if (json == null) {
      return EMPTY;
    }
    TreeMap<Double, Long> buckets = new TreeMap<>();
    JsonObject in = json.getValue("buckets") instanceof JsonObject b ? b : new JsonObject();
    for (Map.Entry<String, Object> e : in) {
      try {
        if (e.getValue() instanceof Number n && n.longValue() >= 0) {
          buckets.merge(Double.parseDouble(e.getKey()), n.longValue(), Long::sum);
        }
      } catch (NumberFormatException ignored) {
        // a key that is no bound is no bucket
      }
    }
    return new LatencyHistogram(json.getValue("count") instanceof Number n ? n.longValue() : 0, buckets);
  }

  /**
   * What was observed after {@code earlier}; nothing when the timers were restarted in between (a reading that went
   * down), since the two then do not describe one span.
   */
  public LatencyHistogram since(LatencyHistogram earlier) {
    if (count < earlier.count) {
      return EMPTY;
    }
    TreeMap<Double, Long> out = new TreeMap<>();
    for (Map.Entry<Double, Long> e : buckets.entrySet()) {
      long grown = e.getValue() - earlier.buckets.getOrDefault(e.getKey(), 0L);
      if (grown < 0) {
        return EMPTY;
      }
      out.put(e.getKey(), grown); // an empty bucket still marks where the next one starts
    }
    return new LatencyHistogram(count - earlier.count, out);
  }

  /**
   * The {@code q} quantile in ms, interpolated linearly inside its bucket as {@code histogram_quantile} does; the
   * highest bound when it lies above every bucket; null when nothing was observed.
   */
  public Double quantileMs(double q) {
    if (count == 0 || buckets.isEmpty()) {
      return null;
    }
    double rank = q * count;
    double lower = 0;
    long below = 0;
    for (Map.Entry<Double, Long> e : buckets.entrySet()) {
      long inside = e.getValue();
      if (below + inside >= rank) {
        return lower + (e.getKey() - lower) * ((rank - below) / inside);
      }
      below += inside;
      lower = e.getKey();
    }
    return buckets.lastKey();
  }
}
