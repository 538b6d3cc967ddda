package io.splitbot.shared.launch;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/** Builds the Vert.x instance: local for BOT_ROLE=all, clustered over Hazelcast TCP-IP otherwise. */
public final class VertxFactory {
  private VertxFactory() {
  }

  public static Future<Vertx> create(SplitbotConfig config) {
    if (!config.role().clustered()) {
      return Future.succeededFuture(Vertx.vertx());
    }
    SplitbotConfig.Cluster c = config.cluster();
    EventBusOptions bus = new EventBusOptions()
        .setHost(c.host())
        .setPort(c.eventBusPort())
        .setClusterPublicHost(c.publicHost());
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(hazelcast(c)))
        .buildClustered();
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
    net.setPublicAddress(c.publicHost() + ":" + c.clusterPort());
    if (!c.host().equals("0.0.0.0")) {
      net.getInterfaces().setEnabled(true).addInterface(c.host());
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
    return hz;
  }
}
