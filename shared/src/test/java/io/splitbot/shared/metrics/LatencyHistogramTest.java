package io.splitbot.shared.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Readings of real Prometheus timers: the percentiles of what happened between two readings, and readings added up. */
class LatencyHistogramTest {
  private final PrometheusMeterRegistry registry = Metrics.newRegistry("test");

  private Timer timer(String name) {
    return Timer.builder(name).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
  }

  @Test
  void theQuantilesAreThoseOfWhatHappenedBetweenTwoReadings() {
    Timer timer = timer("t");
    for (int i = 0; i < 100; i++) {
      timer.record(500, TimeUnit.MILLISECONDS); // before the first reading: not in the interval
    }
    LatencyHistogram before = LatencyHistogram.of(List.of(timer));
    for (int i = 0; i < 98; i++) {
      timer.record(10, TimeUnit.MILLISECONDS);
    }
    timer.record(2, TimeUnit.SECONDS);
    timer.record(2, TimeUnit.SECONDS);
    LatencyHistogram interval = LatencyHistogram.of(List.of(timer)).since(before);

    assertEquals(100, interval.count());
    double p50 = interval.quantileMs(0.5);
    assertTrue(p50 > 8 && p50 <= 11, "p50 " + p50 + " of " + interval);
    double p99 = interval.quantileMs(0.99);
    assertTrue(p99 > 1_500 && p99 <= 2_300, "p99 " + p99 + " of " + interval);
  }

  @Test
  void nothingObservedHasNoQuantileAndARestartedTimerGivesNoInterval() {
    Timer timer = timer("t");
    LatencyHistogram empty = LatencyHistogram.of(List.of(timer));
    assertNull(empty.quantileMs(0.5));
    timer.record(5, TimeUnit.MILLISECONDS);
    LatencyHistogram later = LatencyHistogram.of(List.of(timer));
    assertNull(later.since(later).quantileMs(0.99), "no observation between two equal readings");
    assertEquals(LatencyHistogram.EMPTY, empty.since(later), "a reading lower than the one before: the process restarted");
  }

  @Test
  void readingsAddUpAsJsonKeyByKey() {
    Timer a = timer("a");
    Timer b = timer("b");
    a.record(3, TimeUnit.MILLISECONDS);
    b.record(3, TimeUnit.MILLISECONDS);
    b.record(40, TimeUnit.MILLISECONDS);
    LatencyHistogram both = LatencyHistogram.of(List.of(a, b));
    LatencyHistogram read = LatencyHistogram.fromJson(both.toJson());
    assertEquals(both, read);
    assertEquals(3, read.count());
    assertTrue(read.quantileMs(1.0) > 30, String.valueOf(read.quantileMs(1.0)));
    assertEquals(LatencyHistogram.EMPTY, LatencyHistogram.fromJson(null));
    assertEquals(0, LatencyHistogram.fromJson(new io.vertx.core.json.JsonObject().put("buckets", "junk")).count());
  }
}
