package io.splitbot.shared.launch;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the Vert.x instance: local for BOT_ROLE=all, clustered over Hazelcast TCP-IP otherwise; either way with
 * Micrometer metrics into a Prometheus registry that {@code GET /metrics} serves ({@link Metrics}).
 */
public final class VertxFactory {
  private VertxFactory() {
  }

  public static Future<Vertx> create(SplitbotConfig config) {
    // Hazelcast logs some lines before its configuration is read: send those through SLF4J (and LOG_FORMAT) too.
    System.setProperty("hazelcast.logging.type", "slf4j");
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    VertxOptions options = new VertxOptions();
    var metrics = Metrics.enable(options, registry);
    if (!config.role().clustered()) {
      Vertx vertx = Vertx.builder().with(options).withMetrics(metrics).build();
      Metrics.bind(vertx, registry);
      return Future.succeededFuture(vertx);
    }
    SplitbotConfig.Cluster c = config.cluster();
    EventBusOptions bus = new EventBusOptions()
        .setHost(c.host())
        .setPort(c.eventBusPort())
        .setClusterPublicHost(ClusterAddresses.publicHost(c.publicHost()));
    return Vertx.builder()
        .with(options.setEventBusOptions(bus))
        .withMetrics(metrics)
        .withClusterManager(new HazelcastClusterManager(hazelcast(c)))
        .buildClustered()
        .onSuccess(vertx -> Metrics.bind(vertx, registry));
  }

  static Config hazelcast(SplitbotConfig.Cluster c) {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName("splitbot");
    // Our shutdown hook decides the order (drain, then leave the cluster), not Hazelcast's.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(c.clusterPort()).setPortAutoIncrement(false);
    net.setPublicAddress(ClusterAddresses.publicHost(c.publicHost()) + ":" + c.clusterPort());
    // A given CLUSTER_HOST (a host name is resolved first) is the address Hazelcast binds to and picks, whether or
    // not it is listed on an interface; 0.0.0.0 binds every interface.
    String bind = ClusterAddresses.bindAddress(c.host());
    if (bind != null) {
      hz.setProperty("hazelcast.local.localAddress", bind);
      hz.setProperty("hazelcast.socket.bind.any", "false");
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
    return hz;
  }
}
