package io.splitbot.edge.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.splitbot.edge.EdgeStats;
import io.splitbot.edge.spool.Spool;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The edge's own series, next to Vert.x's: {@code splitbot_spool_depth}, {@code splitbot_edge_updates_total{outcome}},
 * {@code splitbot_edge_deliveries_total{target,result}}, {@code splitbot_edge_routed_total{route}} and
 * {@code splitbot_edge_platform_updates_total{platform,outcome}}. They read
 * {@link EdgeStats} and the spool when scraped, so the hot path does nothing extra.
 */
public final class EdgeMetrics {
  private EdgeMetrics() {
  }

  public static void bind(MeterRegistry registry, EdgeStats stats, Spool spool, List<String> platforms) {
    Gauge.builder("splitbot.spool.depth", spool, Spool::size)
        .description("Updates held by the edge's spool: accepted and not yet confirmed by the worker or the legacy bot")
        .register(registry);
    updates(registry, "received", stats.received, "Webhook POSTs the edge took");
    updates(registry, "acked", stats.acked, "Updates stored durably and answered 200");
    updates(registry, "rejected", stats.rejected, "Webhook POSTs refused with a 4xx");
    updates(registry, "redelivered", stats.redelivered, "Redeliveries of an update the spool already held");
    updates(registry, "unavailable", stats.unavailable, "Webhook POSTs answered 503 (spool full or failing, shutting down)");
    updates(registry, "dead_lettered", stats.deadLettered, "Updates moved to the edge's dead letters after FORWARD_MAX_ATTEMPTS refusals");
    deliveries(registry, "worker", "attempt", stats.forwarded);
    deliveries(registry, "worker", "retried", stats.retried);
    deliveries(registry, "legacy", "attempt", stats.legacyForwarded);
    deliveries(registry, "legacy", "delivered", stats.legacyDelivered);
    deliveries(registry, "legacy", "retried", stats.legacyRetried);
    routed(registry, "worker", stats.routedWorker);
    routed(registry, "legacy", stats.routedLegacy);
    for (String platform : platforms) {
      EdgeStats.PlatformCounts counts = stats.platform(platform);
      platformUpdates(registry, platform, "received", counts.received);
      platformUpdates(registry, platform, "acked", counts.acked);
      platformUpdates(registry, platform, "rejected", counts.rejected);
      platformUpdates(registry, platform, "redelivered", counts.redelivered);
      platformUpdates(registry, platform, "unavailable", counts.unavailable);
    }
  }

  private static void platformUpdates(MeterRegistry registry, String platform, String outcome, AtomicLong counter) {
    FunctionCounter.builder("splitbot.edge.platform.updates", counter, AtomicLong::get)
        .tag("platform", platform).tag("outcome", outcome)
        .description("Webhook POSTs per platform, by outcome").register(registry);
  }

  private static void updates(MeterRegistry registry, String outcome, AtomicLong counter, String description) {
    FunctionCounter.builder("splitbot.edge.updates", counter, AtomicLong::get)
        .tag("outcome", outcome).description(description).register(registry);
  }

  private static void deliveries(MeterRegistry registry, String target, String result, AtomicLong counter) {
    FunctionCounter.builder("splitbot.edge.deliveries", counter, AtomicLong::get)
        .tag("target", target).tag("result", result)
        .description("Deliveries of spooled updates by the edge, per target").register(registry);
  }

  private static void routed(MeterRegistry registry, String route, AtomicLong counter) {
    FunctionCounter.builder("splitbot.edge.routed", counter, AtomicLong::get)
        .tag("route", route).description("Routing decisions for newly stored updates").register(registry);
  }
}
