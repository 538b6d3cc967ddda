package io.splitbot.worker.monitoring;

import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.monitoring.RateWindow;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.worker.pipeline.UpdatePipeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What became of each platform's updates in the worker, counted where the pipeline answers them
 * ({@link #counting}): {@code received}, then one outcome each: {@code handled}, {@code deduplicated},
 * {@code dead_lettered}, or {@code retry_later} (a store was down or the worker was draining; the update comes again).
 * A copy that arrives while the update is still running (the edge retried after a timeout), here or on another worker,
 * or from an edge that no longer forwards it, is counted once, as {@code joined}, so {@code handled} counts updates, not
 * deliveries.
 *
 * <p>The error rate of a platform is the share of the last minute's outcomes that were not a success:
 * ({@code dead_lettered} + {@code retry_later}) over all outcomes, null without any. WEBHOOK_ERROR_ALERT_THRESHOLD is
 * compared with it.
 */
public final class PlatformUpdates {
  /** The platforms every breakdown shows, whether or not any of their updates arrived yet. */
  public static final List<String> PLATFORMS = List.of("telegram", "max");

  private static final List<String> COUNTERS = List.of("received", "handled", "deduplicated", "dead_lettered",
      "retry_later", "joined");

  private final Map<String, Map<String, AtomicLong>> counts = new LinkedHashMap<>();
  private final RateWindow window = new RateWindow();
  private final Set<String> running = ConcurrentHashMap.newKeySet();

  public PlatformUpdates() {
    for (String platform : PLATFORMS) {
      Map<String, AtomicLong> own = new LinkedHashMap<>();
      for (String counter : COUNTERS) {
        AtomicLong n = new AtomicLong();
        own.put(counter, n);
        window.track(platform + "." + counter, n::get);
      }
      counts.put(platform, own);
    }
  }

  public PlatformUpdates start(Vertx vertx) {
    window.start(vertx);
    return this;
  }

  public void stop() {
    window.stop();
  }

  /** {@code process}, counting each update under its platform (a platform not in {@link #PLATFORMS} is not counted). */
  public Function<UpdateEnvelope, Future<HandleReply>> counting(Function<UpdateEnvelope, Future<HandleReply>> process) {
    return update -> {
      Map<String, AtomicLong> own = counts.get(update.platform());
      if (own == null) {
        return process.apply(update);
      }
      if (!running.add(update.key())) {
        own.get("joined").incrementAndGet();
        return process.apply(update);
      }
      own.get("received").incrementAndGet();
      return process.apply(update).andThen(ar -> running.remove(update.key()))
          .onComplete(ar -> {
            if (ar.failed() && UpdatePipeline.ranElsewhere(ar.cause())) {
              // A copy of an update that runs on another worker (or comes from an edge that no longer forwards it).
              own.get("received").decrementAndGet();
              own.get("joined").incrementAndGet();
              return;
            }
            own.get(ar.failed() ? "retry_later" : switch (ar.result()) {
              case HANDLED -> "handled";
              case DUPLICATE -> "deduplicated";
              case DEAD_LETTERED -> "dead_lettered";
            }).incrementAndGet();
          });
    };
  }

  /** Per platform: {@code totals} since start, {@code per_minute} over the last minute, and {@code error_rate}. */
  public JsonObject report() {
    JsonObject minute = window.perMinute();
    JsonObject out = new JsonObject();
    counts.forEach((platform, own) -> {
      JsonObject totals = new JsonObject();
      JsonObject perMinute = new JsonObject();
      own.forEach((name, n) -> {
        totals.put(name, n.get());
        perMinute.put(name, minute.getLong(platform + "." + name, 0L));
      });
      perMinute.put("window_seconds", minute.getLong("window_seconds", 0L));
      out.put(platform, new JsonObject().put("totals", totals).put("per_minute", perMinute)
          .put("error_rate", errorRate(perMinute)));
    });
    return out;
  }

  /** Each platform's error rate over the last minute; null for a platform with no outcome in it. */
  public Map<String, Double> errorRates() {
    return errorRates(report());
  }

  /** The error rates of a {@link #report()}. */
  static Map<String, Double> errorRates(JsonObject report) {
    Map<String, Double> rates = new LinkedHashMap<>();
    report.forEach(e -> rates.put(e.getKey(), ((JsonObject) e.getValue()).getDouble("error_rate")));
    return rates;
  }

  private static Double errorRate(JsonObject perMinute) {
    long failed = perMinute.getLong("dead_lettered") + perMinute.getLong("retry_later");
    long outcomes = failed + perMinute.getLong("handled") + perMinute.getLong("deduplicated");
    return Ratios.of(failed, outcomes);
  }
}
