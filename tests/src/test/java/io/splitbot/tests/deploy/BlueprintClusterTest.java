package io.splitbot.tests.deploy;

import static io.splitbot.tests.deploy.Blueprint.map;
import static io.splitbot.tests.deploy.Blueprint.service;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.ClusterCertificates;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.MemberList;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two jars started with the environment render.yaml gives them, as two processes on two addresses of this
 * machine (127.0.0.1 for the edge, 127.0.0.2 for the worker, standing in for Render's private hosts): the same
 * CLUSTER_PORT on both and members named without a port, the spool in Redis, PostgreSQL storage, a generated
 * (base64) webhook secret, JSON logs. Then: delivery across the cluster, /health/services, the worker's
 * /monitoring/webhook/stats with the edge's numbers fetched over the clustered event bus, /metrics on each, and
 * logs that are JSON, carry update ids and hold no secret. The edge starts first and alone, as after a worker crash:
 * the Blueprint's health check passes, updates are acked into the spool, and all of them are delivered once the
 * worker joins.
 */
@ExtendWith(VertxExtension.class)
class BlueprintClusterTest {
  private static final String EDGE_HOST = "127.0.0.1";
  private static final String WORKER_HOST = "127.0.0.2";

  @Test
  void theJarsRunAsTheBlueprintWiresThemAndWorkAcrossTheCluster(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("blueprint-cluster");
    String database = PgDatabases.create("blueprint");
    try (RedisServerProcess redis = new RedisServerProcess(dir).start()) {
      Map<String, Object> render = Blueprint.load("render.yaml");
      Map<String, String> edge = Blueprint.environment(service(render, "splitbot-edge"), v -> resolve(v, redis.url(), database));
      Map<String, String> worker = Blueprint.environment(service(render, "splitbot-worker"), v -> resolve(v, redis.url(), database));
      worker.put("TELEGRAM_BOT_TOKEN", edge.get("TELEGRAM_BOT_TOKEN"));
      worker.put("MONITORING_TOKEN", edge.get("MONITORING_TOKEN"));
      worker.put("CLUSTER_TLS_CERT", edge.get("CLUSTER_TLS_CERT"));
      worker.put("CLUSTER_TLS_KEY", edge.get("CLUSTER_TLS_KEY"));
      // What only this machine needs: the fake Bot API, free ports, scratch dirs, and each process's own address
      // instead of 0.0.0.0 (whose announced address would be this machine's network address, not loopback).
      int clusterPort = TestEnv.freePort();
      int busPort = TestEnv.freePort();
      for (Map<String, String> env : List.of(edge, worker)) {
        env.put("TELEGRAM_API_URL", fake.baseUrl());
        env.put("CLUSTER_PORT", String.valueOf(clusterPort));
        env.put("EVENTBUS_PORT", String.valueOf(busPort));
        env.put("HTTP_HOST", "127.0.0.1");
        env.put("WORKER_HTTP_HOST", "127.0.0.1");
        env.put("WORKER_PORT", String.valueOf(TestEnv.freePort()));
        env.put("TELEGRAM_GLOBAL_RATE", "2000");
        env.put("TELEGRAM_CHAT_RATE", "200");
        env.put("SHUTDOWN_GRACE_SECONDS", "5");
        env.put("LOG_LEVEL", "debug"); // a line per update in each process, to check their fields
      }
      edge.put("PORT", String.valueOf(TestEnv.freePort())); // Render sets PORT
      edge.put("CLUSTER_HOST", EDGE_HOST);
      edge.put("DATA_DIR", dir.resolve("edge").toString());
      worker.put("CLUSTER_HOST", WORKER_HOST);
      worker.put("DATA_DIR", dir.resolve("worker").toString());
      edge.put("RENDER_EXTERNAL_URL", "https://splitbot-edge.onrender.com"); // Render sets it on a web service
      int edgePort = Integer.parseInt(edge.get("PORT"));
      int workerPort = Integer.parseInt(worker.get("WORKER_PORT"));
      String secret = urlSafe(DeployFilesTest.GENERATED);

      try (JvmProcess edgeProcess = JvmProcess.start("edge", JvmProcess.edgeJar(), edge, dir)) {
        String healthCheck = "http://127.0.0.1:" + edgePort + map(service(render, "splitbot-edge")).get("healthCheckPath");
        edgeProcess.awaitHttp(healthCheck, 200, Duration.ofSeconds(120));
        assertEquals(503, Http.get(edgePort, "/health/ready").status(), "no worker yet");
        List<JsonObject> updates = Updates.echoes(80_000, 60, 6, 8_000_000);
        WebhookDeliverer.telegram(edgePort, secret).deliverAll(updates, Duration.ofSeconds(60));
        assertEquals(200, Http.get(edgePort, "/health/accepting").status(), "the worker being away is what the spool is for");
        assertEquals(0, fake.calls("sendMessage").size());

        try (JvmProcess workerProcess = JvmProcess.start("worker", JvmProcess.workerJar(), worker, dir)) {
          edgeProcess.awaitHttp("http://127.0.0.1:" + edgePort + "/health/ready", 200, Duration.ofSeconds(120));
          // The edge registered the webhook at RENDER_EXTERNAL_URL, with the URL-safe form of the generated secret.
          JsonObject webhook = fake.webhookInfo();
          assertEquals("https://splitbot-edge.onrender.com/webhook/telegram", webhook.getString("url"), webhook.encode());

          fake.awaitCalls("sendMessage", 60, Duration.ofSeconds(60));
          Replies.assertExactlyOnceInOrder(fake, updates);

          String token = edge.get("MONITORING_TOKEN");
          assertEquals(401, Http.get(edgePort, "/metrics").status(), "the Blueprint closes monitoring with its token");
          assertEquals(new JsonObject().put("status", "UP"), Http.get(edgePort, "/health/services").json(),
              "without the token: the status alone");
          Http.Answer services = Http.get(edgePort, "/health/services", token);
          assertEquals(200, services.status(), services.body());
          JsonObject parts = services.json().getJsonObject("services");
          for (String part : List.of("edge", "worker", "redis", "storage")) {
            assertEquals("UP", parts.getJsonObject(part).getString("status"), part + ": " + services.body());
          }
          assertEquals("postgresql", parts.getJsonObject("storage").getString("backend"));
          assertEquals("redis", parts.getJsonObject("edge").getJsonObject("spool").getString("kind"));
          // Both members, each in its role with its node id; nothing says where they run.
          JsonArray members = services.json().getJsonArray("members");
          String edgeInstance = MemberList.instanceLabel(members, "edge");
          String workerInstance = MemberList.instanceLabel(members, "worker");
          assertTrue(!edgeInstance.equals(workerInstance) && !members.encode().contains("127.0.0.1"), members.encode());

          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          JsonObject stats;
          do {
            stats = Http.get(workerPort, "/monitoring/webhook/stats", token).json();
            if (stats.getInteger("spool_depth", -1) != 0) {
              Thread.sleep(100);
            }
          } while (stats.getInteger("spool_depth", -1) != 0 && System.nanoTime() < deadline);
          assertEquals(true, stats.getJsonObject("edge").getBoolean("reachable"), stats.encodePrettily());
          assertEquals(60, stats.getJsonObject("totals").getLong("acked"), "the edge's numbers, asked across the cluster");
          assertEquals(60, stats.getJsonObject("totals").getLong("handled"));
          assertEquals(0, stats.getInteger("spool_depth"));

          String edgeMetrics = Http.get(edgePort, "/metrics", token).body();
          String workerMetrics = Http.get(workerPort, "/metrics", token).body();
          assertTrue(edgeMetrics.contains("splitbot_spool_depth{" + edgeInstance + "}")
              && edgeMetrics.contains("vertx_http_server_requests_total{"), "edge metrics");
          assertTrue(edgeMetrics.contains("splitbot_edge_updates_total{" + edgeInstance + ",outcome=\"acked\"} 60.0"), "edge metrics");
          assertTrue(workerMetrics.contains("splitbot_handler_duration_seconds_bucket{") && workerMetrics.contains(
              "splitbot_botapi_calls_total{" + workerInstance + ",method=\"sendMessage\",result=\"ok\"} 60.0"), "worker metrics");
          assertTrue(workerMetrics.contains("vertx_eventbus_processed_total{address=\"splitbot.worker.updates\","
              + workerInstance + ",side=\"remote\"} 60.0"),
              "the worker's event-bus metrics count the updates that came across the cluster");
        }
      }

      for (String process : List.of("edge", "worker")) {
        String output = java.nio.file.Files.readString(dir.resolve(process + ".log"));
        int withUpdate = 0;
        for (String line : output.split("\n")) {
          if (line.isBlank()) {
            continue;
          }
          JsonObject json;
          try {
            json = new JsonObject(line);
          } catch (DecodeException e) {
            throw new AssertionError(process + ": not a JSON line: " + line);
          }
          if (json.containsKey("update_id")) {
            withUpdate++;
          }
        }
        assertFalse(output.contains(TestEnv.TOKEN_SECRET_PART), process + ": the bot token appeared in its log");
        assertFalse(output.contains(secret) || output.contains(DeployFilesTest.GENERATED), process + ": the webhook secret appeared in its log");
        System.out.println("[blueprint] " + process + ": JSON log, " + withUpdate + " lines with an update_id");
        assertTrue(withUpdate >= 60, process + ": every update's lines carry its update_id, in each process");
      }
    } finally {
      PgDatabases.drop(database);
    }
  }

  private static String resolve(Map<String, Object> v, String redisUrl, String database) {
    String key = String.valueOf(v.get("key"));
    if (Boolean.TRUE.equals(v.get("generateValue"))) {
      return DeployFilesTest.GENERATED;
    }
    if (Boolean.FALSE.equals(v.get("sync"))) {
      return switch (key) {
        case "TELEGRAM_BOT_TOKEN" -> TestEnv.TOKEN;
        case "CLUSTER_TLS_CERT" -> ClusterCertificates.shared().cert();
        case "CLUSTER_TLS_KEY" -> ClusterCertificates.shared().key();
        default -> "";
      };
    }
    if (v.get("fromDatabase") != null) {
      return PgDatabases.url(database);
    }
    Map<String, Object> from = map(v.get("fromService"));
    if (from != null && "connectionString".equals(from.get("property"))) {
      return redisUrl;
    }
    if (from != null && "host".equals(from.get("property"))) {
      return "splitbot-edge".equals(from.get("name")) ? EDGE_HOST : WORKER_HOST;
    }
    return null;
  }

  static String urlSafe(String base64) {
    return base64.replace('+', '-').replace('/', '_').replaceAll("=+$", "");
  }
}
