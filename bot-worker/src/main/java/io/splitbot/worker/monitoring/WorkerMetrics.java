package io.splitbot.worker.monitoring;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.shared.telegram.BotApiListener;
import io.splitbot.worker.pipeline.WorkerStats;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's own series: {@code splitbot_worker_updates_total{outcome}},
 * {@code splitbot_handler_duration_seconds} (a histogram of handler runs, per outcome),
 * {@code splitbot_botapi_calls_total{method,result}} and {@code splitbot_botapi_rate_limited_total{method}} (429s),
 * hit/miss counters of the process' caches, and the monitoring alerts' gauges.
 */
public final class WorkerMetrics {
  private static final String HANDLER_DURATION = "splitbot.handler.duration";

  private WorkerMetrics() {
  }

  public static void bind(MeterRegistry registry, WorkerStats stats, BotApiClient api) {
    updates(registry, "received", stats.received);
    updates(registry, "handled", stats.handled);
    updates(registry, "duplicate", stats.duplicates);
    updates(registry, "failed_attempt", stats.failedAttempts);
    updates(registry, "dead_lettered", stats.deadLettered);
    updates(registry, "replayed", stats.replayed);
    Timer ok = handlerTimer(registry, "ok");
    Timer failed = handlerTimer(registry, "failed");
    stats.onHandlerRun((nanos, succeeded) -> (succeeded ? ok : failed).record(nanos, TimeUnit.NANOSECONDS));
    if (api != null) {
      api.listener(new BotApiMetrics(registry));
    }
  }

  /** Binds the hit/miss counters of a cache that counts with {@link CacheStats}. */
  public static void bindCache(MeterRegistry registry, CacheStats cache) {
    FunctionCounter.builder("splitbot.cache.lookups", cache, CacheStats::hits).tag("cache", cache.name()).tag("result", "hit")
        .register(registry);
    FunctionCounter.builder("splitbot.cache.lookups", cache, CacheStats::misses).tag("cache", cache.name()).tag("result", "miss")
        .register(registry);
  }

  /**
   * The alerts, per alert and platform: {@code splitbot_alert} (1 while on, else 0), {@code splitbot_alert_value}
   * (the figure last compared; NaN before or without one) and {@code splitbot_alert_threshold}.
   */
  public static void bindAlerts(MeterRegistry registry, MonitoringAlerts alerts) {
    Map<String, Double> thresholds = Map.of(
        MonitoringAlerts.PROFILE_QUALITY, alerts.thresholds().profileQuality(),
        MonitoringAlerts.WEBHOOK_ERROR_RATE, alerts.thresholds().webhookErrorRate());
    thresholds.forEach((name, threshold) -> {
      Gauge.builder("splitbot.alert.threshold", () -> threshold).tag("alert", name)
          .description("The threshold of the alert (PROFILE_QUALITY_ALERT_THRESHOLD, WEBHOOK_ERROR_ALERT_THRESHOLD)")
          .register(registry);
      for (String platform : PlatformUpdates.PLATFORMS) {
        Gauge.builder("splitbot.alert", alerts, a -> a.state(name, platform)).strongReference(true)
            .tag("alert", name).tag("platform", platform).description("1 while the alert is on, else 0")
            .register(registry);
        Gauge.builder("splitbot.alert.value", alerts, a -> a.value(name, platform)).strongReference(true)
            .tag("alert", name).tag("platform", platform).description("The figure the alert last compared")
            .register(registry);
      }
    });
  }

  private static void updates(MeterRegistry registry, String outcome, AtomicLong counter) {
    FunctionCounter.builder("splitbot.worker.updates", counter, AtomicLong::get)
        .tag("outcome", outcome).description("What the worker's pipeline did with updates").register(registry);
  }

  /** The handler's duration timers, every outcome: what {@link #bind} registered. */
  public static Collection<Timer> handlerTimers(MeterRegistry registry) {
    return registry.find(HANDLER_DURATION).timers();
  }

  private static Timer handlerTimer(MeterRegistry registry, String outcome) {
    return Timer.builder(HANDLER_DURATION)
        .description("One run of the bot's handlers for an update (an attempt; retries are runs of their own)")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /** Counts Bot API attempts per method and result; the 429s once more on their own. */
  static final class BotApiMetrics implements BotApiListener {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    BotApiMetrics(MeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    public void onAttempt(String method, String result, long durationNanos) {
      counters.computeIfAbsent(method + ' ' + result, k -> Counter.builder("splitbot.botapi.calls")
          .description("HTTP attempts to the Telegram Bot API, per method and result")
          .tag("method", method).tag("result", result).register(registry)).increment();
      if ("rate_limited".equals(result)) {
        counters.computeIfAbsent(method + " 429", k -> Counter.builder("splitbot.botapi.rate.limited")
            .description("429 Too Many Requests answers from the Bot API").tag("method", method).register(registry)).increment();
      }
    }
  }
}
