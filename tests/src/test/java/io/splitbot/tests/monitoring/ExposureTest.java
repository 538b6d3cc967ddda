package io.splitbot.tests.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.tests.storage.AirtableEnv;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.OutsideAddress;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What bot-worker.jar (edge and worker in one JVM) shows to whom, asked from loopback and from this machine's own
 * non-loopback address (another client, as far as the services can tell). Anyone gets the health status and the
 * names of the failing checks, with no host, path or database; /metrics, /monitoring/* and the health detail need
 * MONITORING_TOKEN when it is set, and are served to loopback only when it is not. The worker's port binds to
 * loopback unless WORKER_HTTP_HOST opens it.
 */
@ExtendWith(VertxExtension.class)
class ExposureTest {
  private static final String TOKEN = "monitoring-token-0123456789abcdef";
  private static final JsonObject UP = new JsonObject().put("status", "UP");

  @Test
  void withoutATokenMonitoringIsForLoopbackOnlyAndTheWorkerPortIsNotReachableFromOutside(Vertx vertx) throws Exception {
    String outside = OutsideAddress.get();
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("exposure-open");
    Path data = dir.resolve("data");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), data);
    env.remove("HTTP_HOST"); // the defaults: the edge on every address, the worker on loopback
    int edge = Integer.parseInt(env.get("PORT"));
    int worker = Integer.parseInt(env.get("WORKER_PORT"));
    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + edge + "/health/ready", 200, Duration.ofSeconds(60));

      // From outside: the status alone, and 403 with a JSON reason for the rest.
      for (String path : List.of("/health/live", "/health/ready", "/health/accepting", "/health/services")) {
        Http.Answer answer = Http.get(outside, edge, path, null);
        assertEquals(200, answer.status(), path + ": " + answer.body());
        assertEquals(UP, answer.json(), path);
        assertNothingInternal(answer.body(), data);
      }
      Http.Answer metrics = Http.get(outside, edge, "/metrics", null);
      assertEquals(403, metrics.status(), metrics.body());
      assertEquals(false, metrics.json().getBoolean("ok"));
      assertTrue(metrics.json().getString("error").contains("MONITORING_TOKEN"), metrics.body());
      assertEquals(403, Http.get(outside, edge, "/metrics", TOKEN).status(), "no token is set: none is accepted");
      assertThrows(ConnectException.class, () -> Http.get(outside, worker, "/health/live", null),
          "the worker's port is bound to loopback");

      // From loopback but naming another host: a web page whose name was re-pointed at 127.0.0.1 (DNS rebinding).
      for (int port : new int[] {edge, worker}) {
        Http.Answer rebound = Http.getNaming("attacker.example", port, "/metrics");
        assertEquals(403, rebound.status(), rebound.body());
        assertTrue(rebound.json().getString("error").contains("MONITORING_TOKEN"), rebound.body());
      }
      assertEquals(403, Http.getNaming("attacker.example", worker, "/monitoring/webhook/stats").status());
      assertEquals(403, Http.getNaming("attacker.example", worker, "/console/api/overview").status());
      assertEquals(200, Http.getNaming("localhost", worker, "/monitoring/webhook/stats").status());

      // From loopback: everything, with the detail.
      assertTrue(Http.get(edge, "/metrics").body().contains("splitbot_spool_depth"));
      JsonObject ready = Http.get(edge, "/health/ready").json();
      assertNotNull(ready.getJsonArray("checks"), ready.encode());
      JsonObject services = Http.get(edge, "/health/services").json();
      assertEquals("json", services.getJsonObject("services").getJsonObject("storage").getString("backend"));
      assertEquals(200, Http.get(worker, "/monitoring/webhook/stats").status());
      assertTrue(Http.get(worker, "/metrics").body().contains("splitbot_"));
      Http.Answer workerReady = Http.get(worker, "/health/ready");
      assertEquals(200, workerReady.status(), workerReady.body());
      assertNotNull(workerReady.json().getJsonArray("checks"));
      assertFalse(workerReady.body().contains(data.toString()) || workerReady.body().contains(dir.toString()),
          "even the detail names no directory: " + workerReady.body());
    }
  }

  @Test
  void withATokenMonitoringNeedsItFromEverywhereAndAnOpenedWorkerPortToo(Vertx vertx) throws Exception {
    String outside = OutsideAddress.get();
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    // Airtable's 5 requests/s, with a penalty as short as the bot's AIRTABLE_RETRY_AFTER_429 here (not 30 s)
    FakeAirtableApi airtable = FakeAirtableApi.start(vertx, AirtableEnv.TABLES).await().rateLimit(5, 600);
    Path dir = TestEnv.tempDir("exposure-token");
    Path data = dir.resolve("data");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), data);
    env.putAll(AirtableEnv.env(airtable));
    env.remove("HTTP_HOST");
    env.put("WORKER_HTTP_HOST", "0.0.0.0");
    env.put("MONITORING_TOKEN", TOKEN);
    int edge = Integer.parseInt(env.get("PORT"));
    int worker = Integer.parseInt(env.get("WORKER_PORT"));
    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + edge + "/health/live", 200, Duration.ofSeconds(60));
      Poll.until(() -> status(edge, "/health/ready") == 200, Duration.ofSeconds(60), () -> "the edge is not ready");

      for (String host : List.of(outside, "127.0.0.1")) {
        for (int port : List.of(edge, worker)) {
          for (String path : List.of("/metrics", port == edge ? "/health/services" : "/monitoring/webhook/stats")) {
            String where = host + ":" + (port == edge ? "edge" : "worker") + path;
            for (String bearer : new String[] {null, "wrong-token-0123456789abcdef"}) {
              Http.Answer refused = Http.get(host, port, path, bearer);
              if (path.startsWith("/health")) {
                assertEquals(UP, refused.json(), where + ": the status alone without the right token");
              } else {
                assertEquals(401, refused.status(), where + " with " + bearer + ": " + refused.body());
                assertEquals(false, refused.json().getBoolean("ok"), refused.body());
                assertTrue(refused.json().getString("error").contains("MONITORING_TOKEN"), refused.body());
              }
              assertNothingInternal(refused.body(), data);
            }
            Http.Answer allowed = Http.get(host, port, path, TOKEN);
            assertEquals(200, allowed.status(), where + ": " + allowed.body());
            if (path.equals("/health/services")) {
              assertEquals("airtable", allowed.json().getJsonObject("services").getJsonObject("storage").getString("backend"));
            }
          }
        }
        JsonObject ready = Http.get(host, worker, "/health/ready", TOKEN).json();
        assertNotNull(ready.getJsonArray("checks"), "the detail with the token: " + ready.encode());
        assertNothingInternal(ready.encode(), data);
        assertEquals(UP, Http.get(host, worker, "/health/ready", null).json());
      }

      // The base goes down: the public answers name the failing part, and only that.
      airtable.down(true);
      Poll.until(() -> status(edge, "/health/services") == 503, Duration.ofSeconds(30), () -> "storage still UP");
      Http.Answer services = Http.get(outside, edge, "/health/services", null);
      assertEquals(503, services.status());
      assertEquals(new JsonObject().put("status", "DOWN").put("failing", new JsonArray().add("storage")), services.json());
      Poll.until(() -> status(worker, "/health/ready") == 503, Duration.ofSeconds(30), () -> "worker still ready");
      Http.Answer ready = Http.get(outside, worker, "/health/ready", null);
      assertEquals(new JsonObject().put("status", "DOWN").put("failing", new JsonArray().add("storage")), ready.json());
      JsonObject detail = Http.get(outside, edge, "/health/services", TOKEN).json();
      JsonObject storage = detail.getJsonObject("services").getJsonObject("storage");
      assertEquals("DOWN", storage.getString("status"), detail.encode());
      assertNothingInternal(detail.encode(), data);
      // the port as a number of its own: the same digits inside a timestamp's nanoseconds are no port
      assertFalse(java.util.regex.Pattern.compile("(?<![0-9])" + airtable.port() + "(?![0-9])").matcher(detail.encode()).find(),
          "no port in a reason: " + detail.encode());
    } finally {
      airtable.close();
    }
  }

  private static int status(int port, String path) {
    try {
      return Http.get(port, path).status();
    } catch (Exception e) {
      return -1;
    }
  }

  /** No host, no directory, no Airtable base, no version in what the services answer. */
  private static void assertNothingInternal(String body, Path data) {
    for (String internal : List.of("127.0.0.1", "localhost", data.toString(), FakeAirtableApi.BASE, "/tmp", "version")) {
      assertFalse(body.contains(internal), "'" + internal + "' in " + body);
    }
  }
}
