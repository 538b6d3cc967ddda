package io.splitbot.worker.console;

import io.micrometer.core.instrument.Timer;
import io.splitbot.shared.metrics.LatencyHistogram;
import io.splitbot.worker.pipeline.WorkerStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ops console's charts: every {@link #INTERVAL_MS} it reads the meters the service already keeps (the worker's
 * counters and handler timers, and the edges' figures over the event bus, which include their time to acknowledge) and
 * keeps what happened in that interval, for the last {@link #WINDOW_MS}. One sampler for every chart and every viewer,
 * so nothing is read per request. Counters become rates and histograms become the interval's percentiles by
 * comparing each reading with the one before; a figure that cannot be had (no edge in polling mode, nothing handled
 * in the interval) is null. Runs on one event loop.
 */
public final class LiveSeries {
  static final long INTERVAL_MS = 5_000;
  static final long WINDOW_MS = 15 * 60_000;
  private static final int CAPACITY = (int) (WINDOW_MS / INTERVAL_MS);

  /** The series, in the order the console draws them, with their units. */
  static final Map<String, String> UNITS = units();

  private final Vertx vertx;
  private final WorkerStats stats;
  private final Supplier<Iterable<Timer>> handlerTimers;
  private final Supplier<Future<JsonObject>> edges;
  private final ArrayDeque<Point> points = new ArrayDeque<>();
  private Reading last;
  private boolean reading;
  private long timer = -1;

  /** One reading of the cumulative figures; the edge's are null when no edge answered. */
  private record Reading(long atMillis, long handled, LatencyHistogram handler, Long acked, LatencyHistogram ack,
      Long spoolDepth) {
  }

  /** One interval, as drawn: each series' value, or null. */
  private record Point(long atMillis, Map<String, Double> values) {
  }

  /**
   * @param handlerTimers the handler's duration timers ({@code splitbot_handler_duration_seconds})
   * @param edges the edges' stats added up, as {@code /monitoring/webhook/stats} has them; fails when none answers
   */
  public LiveSeries(Vertx vertx, WorkerStats stats, Supplier<Iterable<Timer>> handlerTimers, Supplier<Future<JsonObject>> edges) {
    this.vertx = vertx;
    this.stats = stats;
    this.handlerTimers = handlerTimers;
    this.edges = edges;
  }

  private static Map<String, String> units() {
    Map<String, String> units = new LinkedHashMap<>();
    units.put("acked_per_second", "updates/s");
    units.put("handled_per_second", "updates/s");
    units.put("ack_p50_ms", "ms");
    units.put("ack_p99_ms", "ms");
    units.put("handler_p50_ms", "ms");
    units.put("handler_p99_ms", "ms");
    units.put("spool_depth", "updates");
    return units;
  }

  /** Takes the first reading now (the baseline of the first interval), then one every interval. */
  public void start() {
    sample();
    timer = vertx.setPeriodic(INTERVAL_MS, id -> sample());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void sample() {
    if (reading) {
      return; // the edges have not answered the last one yet (each has EDGE_TIMEOUT_MS): no overlapping reads
    }
    reading = true;
    edges.get().transform(ar -> Future.succeededFuture(ar.succeeded() ? ar.result() : null)).onSuccess(edge -> {
      reading = false;
      JsonObject totals = edge == null ? null : edge.getJsonObject("totals");
      JsonObject spool = edge == null ? null : edge.getJsonObject("spool");
      Reading now = new Reading(System.currentTimeMillis(), stats.handled.get(), LatencyHistogram.of(handlerTimers.get()),
          totals == null ? null : totals.getLong("acked"),
          edge == null ? null : LatencyHistogram.fromJson(edge.getJsonObject("ack_latency")),
          spool == null ? null : spool.getLong("depth"));
      if (last != null && now.atMillis() > last.atMillis()) {
        add(between(last, now));
      }
      last = now;
    });
  }

  private void add(Point point) {
    points.addLast(point);
    while (points.size() > CAPACITY) {
      points.removeFirst();
    }
  }

  private static Point between(Reading before, Reading now) {
    double seconds = (now.atMillis() - before.atMillis()) / 1000.0;
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("acked_per_second", rate(before.acked(), now.acked(), seconds));
    values.put("handled_per_second", rate(before.handled(), now.handled(), seconds));
    LatencyHistogram ack = now.ack() == null || before.ack() == null ? LatencyHistogram.EMPTY : now.ack().since(before.ack());
    values.put("ack_p50_ms", round(ack.quantileMs(0.5)));
    values.put("ack_p99_ms", round(ack.quantileMs(0.99)));
    LatencyHistogram handler = now.handler().since(before.handler());
    values.put("handler_p50_ms", round(handler.quantileMs(0.5)));
    values.put("handler_p99_ms", round(handler.quantileMs(0.99)));
    values.put("spool_depth", now.spoolDepth() == null ? null : now.spoolDepth().doubleValue());
    return new Point(now.atMillis(), values);
  }

  /** Growth per second; null when either reading is missing or the counter went back (its process restarted). */
  private static Double rate(Long before, Long now, double seconds) {
    if (before == null || now == null || now < before) {
      return null;
    }
    return round((now - before) / seconds);
  }

  private static Double round(Double value) {
    return value == null ? null : Math.round(value * 100) / 100.0;
  }

  /**
   * {@code {"interval_seconds", "window_seconds", "series": {name: {"unit", "points": [[ms since the epoch, value or
   * null], …]}}}}, oldest point first.
   */
  public JsonObject toJson() {
    JsonObject series = new JsonObject();
    UNITS.forEach((name, unit) -> {
      JsonArray data = new JsonArray();
      points.forEach(p -> data.add(new JsonArray().add(p.atMillis()).add(p.values().get(name))));
      series.put(name, new JsonObject().put("unit", unit).put("points", data));
    });
    return new JsonObject()
        .put("interval_seconds", INTERVAL_MS / 1000)
        .put("window_seconds", WINDOW_MS / 1000)
        .put("series", series);
  }
}
