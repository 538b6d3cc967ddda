package io.splitbot.shared.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.jgroups.JChannel;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.junit.jupiter.api.Test;

/** Host names and wildcards in CLUSTER_HOST / CLUSTER_PUBLIC_HOST, as on Render's and compose's private networks. */
class ClusterAddressesTest {

  @Test
  void aHostNameIsResolvedToTheAddressTheEngineBindsTo() throws Exception {
    assertEquals("127.0.0.1", ClusterAddresses.bindAddress("localhost"));
    assertEquals("127.0.0.1", ClusterAddresses.bindAddress("127.0.0.1"));
    assertEquals(null, ClusterAddresses.bindAddress("0.0.0.0"));
    assertThrows(ConfigException.class, () -> ClusterAddresses.bindAddress("no-such-host.invalid"));

    SplitbotConfig config = SplitbotConfig.fromEnv(Map.of("BOT_ROLE", "worker", "CLUSTER_HOST", "localhost",
        "CLUSTER_MEMBERS", "no-such-host.invalid,localhost:5701,127.0.0.1"), Role.ALL);
    try (JChannel channel = ClusterEngine.channel(config.cluster())) {
      TCP tcp = channel.getProtocolStack().findProtocol(TCP.class);
      assertEquals("127.0.0.1", tcp.getBindAddress().getHostAddress());
      assertEquals(5702, tcp.getBindPort());
      assertEquals("127.0.0.1", tcp.getExternalAddr().getHostAddress());
      // A member that does not resolve yet is left out; one without a port is tried on the local CLUSTER_PORT.
      assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5701), new InetSocketAddress("127.0.0.1", 5702)),
          ClusterEngine.members(config.cluster()));
      TCPPING ping = channel.getProtocolStack().findProtocol(TCPPING.class);
      assertEquals(2, ping.getInitialHosts().size());
    }
  }

  @Test
  void aWildcardBindAnnouncesThisMachinesOwnAddress() throws Exception {
    String own = ClusterAddresses.publicHost("0.0.0.0");
    assertNotEquals("0.0.0.0", own);
    assertTrue(own.matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), own);
    assertEquals("worker.internal", ClusterAddresses.publicHost("worker.internal"));

    SplitbotConfig.Cluster cluster = new SplitbotConfig.Cluster("0.0.0.0", "0.0.0.0", 5702, 5712,
        List.of("127.0.0.1:5701"), null);
    try (JChannel channel = ClusterEngine.channel(cluster)) {
      TCP tcp = channel.getProtocolStack().findProtocol(TCP.class);
      assertTrue(tcp.getBindAddress().isAnyLocalAddress(), "0.0.0.0 binds every interface");
      assertEquals(own, tcp.getExternalAddr().getHostAddress());
    }
  }
}
