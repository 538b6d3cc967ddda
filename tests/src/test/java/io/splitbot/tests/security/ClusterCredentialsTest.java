package io.splitbot.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.testkit.ClusterCertificates;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CLUSTER_TLS_* as an operator pastes them: checked at start, each mistake named, the key never shown. */
class ClusterCredentialsTest {
  private static final ClusterCertificates CLUSTER = ClusterCertificates.shared();

  private static Map<String, String> worker(String cert, String key) {
    Map<String, String> env = new HashMap<>(Map.of("BOT_ROLE", "worker", "CLUSTER_HOST", "0.0.0.0"));
    env.put("CLUSTER_TLS_CERT", cert);
    env.put("CLUSTER_TLS_KEY", key);
    return env;
  }

  @Test
  void aCertificateAndItsKeySecureTheClusterAndTheirValuesStayOutOfToString() {
    SplitbotConfig config = SplitbotConfig.fromEnv(worker(CLUSTER.cert(), CLUSTER.key()), Role.ALL);
    assertNotNull(config.cluster().tls());
    assertFalse(config.cluster().toString().contains("PRIVATE KEY"), config.cluster().toString());
    assertFalse(config.cluster().toString().contains(CLUSTER.key().substring(40, 80)));
  }

  @Test
  void valuesPastedOnOneLineWithBackslashNAreRead() {
    String cert = CLUSTER.cert().strip().replace("\n", "\\n");
    String key = CLUSTER.key().strip().replace("\n", "\\n");
    assertNotNull(SplitbotConfig.fromEnv(worker(cert, key), Role.ALL).cluster().tls());
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefusedByName() {
    ClusterCertificates other = ClusterCertificates.create();
    ConfigException e = assertThrows(ConfigException.class,
        () -> SplitbotConfig.fromEnv(worker(CLUSTER.cert(), other.key()), Role.ALL));
    assertEquals("CLUSTER_TLS_KEY is not the private key of CLUSTER_TLS_CERT's (first) certificate", e.getMessage());
  }

  @Test
  void aKeyInTheOlderEcFormIsRefusedWithTheCommandThatConvertsIt() {
    String sec1 = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA==\n-----END EC PRIVATE KEY-----\n";
    ConfigException e = assertThrows(ConfigException.class,
        () -> SplitbotConfig.fromEnv(worker(CLUSTER.cert(), sec1), Role.ALL));
    assertTrue(e.getMessage().startsWith("CLUSTER_TLS_KEY must be an unencrypted PKCS#8 PEM key"), e.getMessage());
    assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e.getMessage());
  }
}
