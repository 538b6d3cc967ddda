package io.splitbot.shared.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.splitbot.shared.cluster.NodeId;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.DoubleStream;

/**
 * One Prometheus registry per Vert.x instance, for {@code GET /metrics}. {@code VertxFactory} builds Vert.x with
 * vertx-micrometer-metrics writing into it (HTTP servers and clients, the event bus, pools, the JVM), and binds it to
 * the instance; the services add their own meters to the same registry ({@link #registry(Vertx)}). A Vert.x built
 * elsewhere (a test, an embedding application) gets a registry of its own on first use, with the services' meters
 * only: {@code /metrics} still answers, with less in it.
 */
public final class Metrics {
  private static final String MAP = "splitbot.metrics";
  private static final String KEY = "registry";
  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  /** The label every meter carries: the process's node id. */
  public static final String INSTANCE = "instance";
  /** Vert.x's timer of HTTP server requests, from the request to the end of the response, per route and status. */
  static final String HTTP_SERVER_RESPONSE_TIME = "vertx.http.server.response.time";
  private static final String WEBHOOK_ROUTES = "/webhook/";

  private Metrics() {
  }

  /** The holder kept in the instance's local shared data; Shareable so it is stored as is. */
  private record Holder(PrometheusMeterRegistry registry) implements Shareable {
  }

  /**
   * A registry whose every meter carries {@code instance=<node id>} ({@link NodeId}): several edges or workers
   * scraped into one Prometheus stay apart. Prometheus renames a scraped {@code instance} label that clashes with its
   * own target label to {@code exported_instance} (unless the job sets {@code honor_labels: true}).
   */
  public static PrometheusMeterRegistry newRegistry(String instance) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags(INSTANCE, instance);
    registry.config().meterFilter(responseTimeHistograms());
    return registry;
  }

  /**
   * A webhook's response time is the time to acknowledge an update: Vert.x's response-time timers publish a histogram,
   * so its percentiles can be read (by Prometheus, and by the ops console through {@link #ackTimers}). Every route's,
   * since Prometheus wants one type per family; a few fixed buckets, so each adds some 15 series, not 70.
   */
  private static MeterFilter responseTimeHistograms() {
    double[] bucketsNanos = DoubleStream.of(0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000)
        .map(ms -> ms * 1_000_000).toArray();
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!HTTP_SERVER_RESPONSE_TIME.equals(id.getName())) {
          return config;
        }
        return DistributionStatisticConfig.builder().serviceLevelObjectives(bucketsNanos).build().merge(config);
      }
    };
  }

  /** The timers of the webhooks' 200 answers: each an update acknowledged (made durable and answered). */
  public static List<Timer> ackTimers(MeterRegistry registry) {
    return registry.find(HTTP_SERVER_RESPONSE_TIME).tag(Label.HTTP_CODE.toString(), "200").timers().stream()
        .filter(t -> {
          String route = t.getId().getTag(Label.HTTP_ROUTE.toString());
          return route != null && route.startsWith(WEBHOOK_ROUTES);
        })
        .toList();
  }

  /**
   * Turns Vert.x's own metrics on, into {@code registry}; use the returned factory with {@code Vertx.builder()}.
   * Every instance gets its own registry name, so two instances in one JVM (tests) never share meters.
   */
  public static MicrometerMetricsFactory enable(VertxOptions options, PrometheusMeterRegistry registry) {
    options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("splitbot-" + SEQUENCE.incrementAndGet())
        .setJvmMetricsEnabled(true)
        // Routes, not paths: a path can carry ids and would make a series per user.
        .setLabels(EnumSet.of(Label.HTTP_ROUTE, Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE,
            Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME, Label.NAMESPACE))
        // The webhook is three handlers on one path (checks, body, accept), which Vert.x names
        // "/webhook/telegram>/webhook/telegram>/webhook/telegram"; name it once.
        .setLabelMatches(List.of(new Match()
            .setDomain(MetricsDomain.HTTP_SERVER)
            .setLabel(Label.HTTP_ROUTE.toString())
            .setType(MatchType.REGEX)
            .setValue("(/webhook/telegram>)+/webhook/telegram")
            .setAlias("/webhook/telegram"))));
    return new MicrometerMetricsFactory(registry);
  }

  /** Makes {@code registry} the one {@link #registry(Vertx)} answers for {@code vertx}. */
  public static void bind(Vertx vertx, PrometheusMeterRegistry registry) {
    map(vertx).put(KEY, new Holder(registry));
  }

  /** The registry bound to {@code vertx}, or a new one bound now when Vert.x was built without metrics. */
  public static PrometheusMeterRegistry registry(Vertx vertx) {
    return map(vertx).computeIfAbsent(KEY, k -> new Holder(newRegistry(NodeId.of(vertx)))).registry();
  }

  /** {@code GET /metrics}: the registry in Prometheus' text format. */
  public static Handler<RoutingContext> scrapeHandler(Vertx vertx) {
    return PrometheusScrapingHandler.create(registry(vertx));
  }

  private static LocalMap<String, Holder> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }
}
