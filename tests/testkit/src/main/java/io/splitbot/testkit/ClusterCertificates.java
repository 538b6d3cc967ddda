package io.splitbot.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster identity made at test time with openssl, as docs/CLUSTER.md tells an operator to make one: a self-signed
 * EC certificate and its PKCS#8 key, shared by every member. {@link #shared()} makes one per test JVM; {@link #create()}
 * makes another, which the first does not trust (an outsider's).
 */
public record ClusterCertificates(String cert, String key) {
  private static ClusterCertificates shared;

  public static synchronized ClusterCertificates shared() {
    if (shared == null) {
      shared = create();
    }
    return shared;
  }

  public static ClusterCertificates create() {
    try {
      Path dir = Files.createTempDirectory("cluster-tls");
      Path cert = dir.resolve("cluster.crt");
      Path key = dir.resolve("cluster.key");
      Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec",
          "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=splitbot-cluster",
          "-keyout", key.toString(), "-out", cert.toString()))
          .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
      if (!openssl.waitFor(60, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
        throw new IllegalStateException("openssl failed: " + Files.readString(dir.resolve("openssl.log")));
      }
      return new ClusterCertificates(Files.readString(cert, StandardCharsets.US_ASCII),
          Files.readString(key, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** CLUSTER_TLS_CERT and CLUSTER_TLS_KEY for a member's environment. */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("CLUSTER_TLS_CERT", cert);
    env.put("CLUSTER_TLS_KEY", key);
    return env;
  }

  @Override
  public String toString() {
    return "ClusterCertificates[***]";
  }
}
