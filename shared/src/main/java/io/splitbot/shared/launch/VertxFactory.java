package io.splitbot.shared.launch;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.splitbot.shared.cluster.NodeId;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;

/**
 * Builds the Vert.x instance: local for BOT_ROLE=all (the cluster engine is never loaded then), clustered otherwise
 * ({@link ClusterEngine}, the event bus over mutual TLS when the cluster has credentials); either way with
 * Micrometer metrics into a Prometheus registry that {@code GET /metrics} serves ({@link Metrics}), and with the
 * process's {@link NodeId}, which is also the cluster node's name.
 */
public final class VertxFactory {
  private VertxFactory() {
  }

  public static Future<Vertx> create(SplitbotConfig config) {
    // Made before Vert.x, so the metrics registered while it is built already carry it.
    String node = NodeId.create();
    PrometheusMeterRegistry registry = Metrics.newRegistry(node);
    VertxOptions options = new VertxOptions();
    var metrics = Metrics.enable(options, registry);
    if (!config.role().clustered()) {
      Vertx vertx = Vertx.builder().with(options).withMetrics(metrics).build();
      NodeId.bind(vertx, node);
      Metrics.bind(vertx, registry);
      return Future.succeededFuture(vertx);
    }
    SplitbotConfig.Cluster c = config.cluster();
    EventBusOptions bus = new EventBusOptions()
        .setHost(c.host())
        .setPort(c.eventBusPort())
        .setClusterPublicHost(ClusterAddresses.publicHost(c.publicHost()));
    if (c.tls() != null) {
      // Both ends show the cluster's certificate: a peer without one can neither send to nor receive from this bus.
      bus.setSsl(true)
          .setClientAuth(ClientAuth.REQUIRED)
          .setKeyCertOptions(new PemKeyCertOptions()
              .setCertValue(Buffer.buffer(c.tls().certPem()))
              .setKeyValue(Buffer.buffer(c.tls().keyPem())))
          .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(c.tls().trustPem())));
    }
    return Vertx.builder()
        .with(options.setEventBusOptions(bus))
        .withMetrics(metrics)
        .withClusterManager(ClusterEngine.manager(c, node))
        .buildClustered()
        .onSuccess(vertx -> {
          NodeId.bind(vertx, node);
          Metrics.bind(vertx, registry);
        });
  }
}
