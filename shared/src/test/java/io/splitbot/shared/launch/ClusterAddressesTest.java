package io.splitbot.shared.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host names and wildcards in CLUSTER_HOST / CLUSTER_PUBLIC_HOST, as on Render's and compose's private networks. */
class ClusterAddressesTest {

  @Test
  void aHostNameIsResolvedForHazelcastsInterfaceFilterWhichTakesAddressesOnly() {
    assertEquals("127.0.0.1", ClusterAddresses.bindAddress("localhost"));
    assertEquals("127.0.0.1", ClusterAddresses.bindAddress("127.0.0.1"));
    assertEquals(null, ClusterAddresses.bindAddress("0.0.0.0"));
    assertThrows(ConfigException.class, () -> ClusterAddresses.bindAddress("no-such-host.invalid"));

    SplitbotConfig config = SplitbotConfig.fromEnv(Map.of("BOT_ROLE", "worker", "CLUSTER_HOST", "localhost",
        "CLUSTER_MEMBERS", "edge-service,localhost:5701"), Role.ALL);
    Config hz = VertxFactory.hazelcast(config.cluster());
    assertEquals("127.0.0.1", hz.getProperty("hazelcast.local.localAddress"));
    assertEquals("false", hz.getProperty("hazelcast.socket.bind.any"));
    assertEquals("localhost:5702", hz.getNetworkConfig().getPublicAddress());
    assertEquals(List.of("edge-service", "localhost:5701"), hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
  }

  @Test
  void aWildcardBindAnnouncesThisMachinesOwnAddress() {
    String own = ClusterAddresses.publicHost("0.0.0.0");
    assertNotEquals("0.0.0.0", own);
    assertTrue(own.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), own);
    assertEquals("worker.internal", ClusterAddresses.publicHost("worker.internal"));

    SplitbotConfig config = SplitbotConfig.fromEnv(Map.of("BOT_ROLE", "worker", "CLUSTER_HOST", "0.0.0.0"), Role.ALL);
    Config hz = VertxFactory.hazelcast(config.cluster());
    assertEquals(null, hz.getProperty("hazelcast.local.localAddress"), "0.0.0.0 binds every interface");
    assertEquals(own + ":5702", hz.getNetworkConfig().getPublicAddress());
  }
}
