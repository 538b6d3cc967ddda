package io.splitbot.tests.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.ClusterCertificates;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.HttpClients;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster refuses whoever lacks its certificate. Next to a genuine edge and worker (ClusterEnv: one certificate)
 * run an intruding worker with a certificate of its own and an intruding edge with none, both listing the genuine
 * members: neither joins (the members' view stays at two), the intruding worker never gets an update, an update posted
 * to the intruding edge never reaches the genuine worker, and the genuine updates are still answered. A raw client at
 * the worker's event-bus port, plain or TLS without a certificate, is cut off before it can hand in an envelope.
 */
@ExtendWith(VertxExtension.class)
class ClusterAuthenticationTest {
  private static final Pattern THREE_MEMBERS = Pattern.compile("cluster view for channel splitbot: \\[[^]]*] \\(3\\)");

  @Test
  void aMemberWithoutTheClustersCertificateIsRefused(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    FakeTelegramApi intruderApi = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    intruderApi.start().await();
    Path dir = TestEnv.tempDir("cluster-auth");
    ClusterEnv env = ClusterEnv.create(fake.baseUrl(), dir);
    String members = env.edge().get("CLUSTER_MEMBERS");

    Map<String, String> intruderWorker = TestEnv.webhookEnv(intruderApi.baseUrl(), dir.resolve("intruder-worker"));
    intruderWorker.put("BOT_ROLE", "worker");
    intruderWorker.put("CLUSTER_PORT", String.valueOf(TestEnv.freePort()));
    intruderWorker.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    intruderWorker.put("CLUSTER_MEMBERS", members);
    intruderWorker.putAll(ClusterCertificates.create().env()); // a certificate the cluster's CA did not sign
    Map<String, String> intruderEdge = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("intruder-edge"));
    intruderEdge.put("CLUSTER_PORT", String.valueOf(TestEnv.freePort()));
    intruderEdge.put("EVENTBUS_PORT", String.valueOf(TestEnv.freePort()));
    intruderEdge.put("CLUSTER_MEMBERS", members);                 // no certificate at all (allowed on loopback)
    int intruderEdgePort = Integer.parseInt(intruderEdge.get("PORT"));

    try (JvmProcess worker = JvmProcess.start("worker", JvmProcess.workerJar(), env.worker(), dir);
         JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), env.edge(), dir)) {
      edge.awaitHttp(env.edgeReadyUrl(), 200, Duration.ofSeconds(90));

      try (JvmProcess outsider = JvmProcess.start("intruder-worker", JvmProcess.workerJar(), intruderWorker, dir);
           JvmProcess outsiderEdge = JvmProcess.start("intruder-edge", JvmProcess.edgeJar(), intruderEdge, dir)) {
        // Each starts (alone, as a cluster of one) once its join found no member that would talk to it.
        outsider.awaitHttp("http://127.0.0.1:" + intruderWorker.get("WORKER_PORT") + "/health/live", 200,
            Duration.ofSeconds(90));
        outsiderEdge.awaitHttp("http://127.0.0.1:" + intruderEdgePort + "/health/live", 200, Duration.ofSeconds(90));

        // Sent to the intruding edge: acked there (it is the attacker's own process), never run by the real worker.
        WebhookDeliverer.telegram(intruderEdgePort, TestEnv.WEBHOOK_SECRET)
            .deliverAll(List.of(Updates.message(777_001, 7_770_001, "/echo injected")), Duration.ofSeconds(30));
        assertRawClientsAreCutOff(Integer.parseInt(env.worker().get("EVENTBUS_PORT")));

        // The genuine path still works, over many chats: with a third consumer in the cluster about a third of these
        // would have gone to it.
        List<JsonObject> genuine = Updates.echoes(888_000, 30, 30, 8_880_000);
        WebhookDeliverer.telegram(env.edgePort(), TestEnv.WEBHOOK_SECRET).deliverAll(genuine, Duration.ofSeconds(60));
        fake.awaitCalls("sendMessage", 30, Duration.ofSeconds(60));

        assertEquals(List.of(), fake.messages("7770001"), "the update handed to the intruding edge was never run");
        assertEquals(List.of(), intruderApi.calls("sendMessage"), "the intruding worker never got an update");
        HttpResponse<String> intruderReady = HttpClients.http1(Duration.ofSeconds(2)).send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + intruderEdgePort + "/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(503, intruderReady.statusCode(), "the intruding edge reaches no worker: " + intruderReady.body());
        for (JvmProcess member : List.of(edge, worker)) {
          assertFalse(THREE_MEMBERS.matcher(member.output()).find(), member + " let a third member in:\n" + member.output());
        }
        assertTrue(edge.output().contains("failed accepting connection") || worker.output().contains("failed accepting connection"),
            "the members refused the intruders' connections at the TLS handshake");
        assertFalse(outsider.output().contains("(2) ["), "the intruding worker saw a view with the members");
      }
    }
  }

  /** Plain TCP, and TLS without a client certificate: the event-bus port closes on both before any frame is taken. */
  private static void assertRawClientsAreCutOff(int eventBusPort) throws Exception {
    byte[] frame = "{\"address\":\"splitbot.worker.updates\",\"body\":\"forged\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress("127.0.0.1", eventBusPort), 5_000);
      plain.setSoTimeout(10_000);
      assertEquals(Outcome.CLOSED, exchange(plain, frame), "a plain client kept its connection to the event bus");
    }
    SSLContext trustAll = SSLContext.getInstance("TLS");
    trustAll.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket tls = (SSLSocket) trustAll.getSocketFactory().createSocket()) {
      tls.connect(new InetSocketAddress("127.0.0.1", eventBusPort), 5_000);
      tls.setSoTimeout(10_000);
      assertEquals(Outcome.CLOSED, exchange(tls, frame), "a TLS client without a certificate kept its connection");
    }
  }

  private enum Outcome { CLOSED, KEPT_OPEN }

  /**
   * Writes the frame and reads to the end: the server closing the connection (or failing the handshake) is CLOSED;
   * a connection still open after the read timeout, as the event bus keeps one it took frames from, is KEPT_OPEN.
   */
  private static Outcome exchange(Socket socket, byte[] frame) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(frame);
      out.flush();
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // a TLS alert, if any: read on to the close
      }
      return Outcome.CLOSED;
    } catch (SocketTimeoutException e) {
      return Outcome.KEPT_OPEN;
    } catch (IOException e) {
      return Outcome.CLOSED;
    }
  }
}
