package io.splitbot.tests.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.fakes.FakeLegacyBot;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.shared.cluster.NodeId;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.MemberList;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.basic.WelcomeHandlers;
import io.splitbot.worker.monitoring.CacheStats;
import io.splitbot.worker.storage.UserRepository;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * After a scripted run (answered updates, a redelivery, a poison update, a refused POST) the worker's monitoring
 * endpoints and the edge's /health/services give exactly the expected numbers, overall and per platform, with the
 * alerts the figures raise; with Redis stopped both say so with 503.
 */
@ExtendWith(VertxExtension.class)
class MonitoringEndpointsTest {

  @Test
  void endpointsReportAScriptedRunExactlyAndAStoppedRedisWith503(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("monitoring");
    FakeLegacyBot legacy = new FakeLegacyBot(vertx, TestEnv.freePort());
    legacy.start().await();
    try (RedisServerProcess redis = new RedisServerProcess(dir).start()) {
      Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
      env.put("REDIS_URL", redis.url());
      env.put("MAX_HANDLER_ATTEMPTS", "2");
      // Every chat is on the new worker already: the legacy bot is shown, but it is no longer required.
      env.put("LEGACY_WEBHOOK_URL", legacy.url());
      env.put("ROLLOUT_PERCENTAGE", "100");
      SplitbotApp app = SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), resources ->
          WelcomeHandlers.install(new Bot()).command("poison", ctx -> Future.failedFuture(new IllegalStateException("broken")))).await();
      int edge = app.edge().actualPort();
      int worker = app.worker().httpPort();

      // The script: 30 answered updates in 5 chats, a poison update, 3 redeliveries of handled updates, a bad POST.
      List<JsonObject> echoes = Updates.echoes(70_000, 30, 5, 7_100_000);
      WebhookDeliverer telegram = WebhookDeliverer.telegram(edge, TestEnv.WEBHOOK_SECRET);
      List<JsonObject> first = new ArrayList<>(echoes);
      first.add(Updates.message(70_100, 7_100_009, "/poison"));
      // Sent by bots, so the runtime records no profile for them: the profile counts below are the test's own.
      first.forEach(u -> u.getJsonObject("message").getJsonObject("from").put("is_bot", true));
      telegram.deliverAll(first, Duration.ofSeconds(30));
      fake.awaitCalls("sendMessage", 30, Duration.ofSeconds(30));
      awaitTrue(() -> app.worker().stats().deadLettered.get() == 1 && app.edge().spool().size() == 0, Duration.ofSeconds(20));
      telegram.deliverAll(echoes.subList(0, 3), Duration.ofSeconds(10));
      awaitTrue(() -> app.worker().stats().duplicates.get() == 3 && app.edge().spool().size() == 0, Duration.ofSeconds(10));
      assertEquals(401, telegram.post(echoes.get(0).encode(), "application/json", "wrong-secret").statusCode());

      JsonObject stats = Http.get(worker, "/monitoring/webhook/stats").json();
      JsonObject totals = stats.getJsonObject("totals");
      assertEquals(35, totals.getLong("received"), stats.encodePrettily());
      assertEquals(34, totals.getLong("acked"));
      assertEquals(34, totals.getLong("forwarded"));
      assertEquals(0, totals.getLong("retried"));
      assertEquals(3, totals.getLong("deduplicated"));
      assertEquals(1, totals.getLong("dead_lettered"));
      assertEquals(30, totals.getLong("handled"));
      JsonObject perMinute = stats.getJsonObject("per_minute");
      for (String key : List.of("received", "acked", "forwarded", "retried", "deduplicated", "dead_lettered", "handled")) {
        assertEquals(totals.getLong(key), perMinute.getLong(key), "the whole run fell in the last minute: " + key);
      }
      assertEquals(0, stats.getInteger("spool_depth"));
      assertEquals(new JsonObject().put("worker", new JsonObject().put("count", 1)).put("edge", new JsonObject().put("count", 0)),
          stats.getJsonObject("dead_letters"), "the poison update is the worker's; the edge refused nothing");
      assertEquals(0, stats.getJsonObject("edge").getJsonObject("totals").getLong("dead_lettered"));
      assertEquals(true, stats.getJsonObject("edge").getBoolean("reachable"));
      assertEquals(34, stats.getJsonObject("edge").getJsonObject("totals").getJsonObject("routed").getLong("worker"));
      assertEquals(1, stats.getJsonArray("edges").size(), "one edge, its own figures: " + stats.encodePrettily());
      assertEquals(34, stats.getJsonArray("edges").getJsonObject(0).getJsonObject("totals").getLong("acked"));
      // per platform: every update was Telegram's; 1 of the 34 outcomes failed (0.0294), under the 0.05 threshold
      JsonObject telegramUpdates = stats.getJsonObject("platforms").getJsonObject("telegram");
      assertEquals(new JsonObject().put("received", 34).put("handled", 30).put("deduplicated", 3).put("dead_lettered", 1)
          .put("retry_later", 0).put("joined", 0), telegramUpdates.getJsonObject("totals"), stats.encodePrettily());
      assertEquals(0.0294, telegramUpdates.getDouble("error_rate"));
      assertEquals(0, stats.getJsonObject("platforms").getJsonObject("max").getJsonObject("totals").getLong("received"));
      assertNull(stats.getJsonObject("platforms").getJsonObject("max").getDouble("error_rate"), "no MAX update: no rate");
      assertEquals(new JsonArray(), stats.getJsonArray("alerts"));

      // Profiles: 4 captured from updates (3 with a name), 2 entered by staff (1 with a name).
      UserRepository users = app.worker().resources().storage().users();
      users.upsert(UserProfile.fromWebhook("telegram", 1, "Anna", null, "anna", "ru")).await();
      users.upsert(UserProfile.fromWebhook("telegram", 2, null, "Petrov", null, "ru")).await();
      users.upsert(UserProfile.fromWebhook("telegram", 3, "Олег", "Иванов", "oleg", "ru")).await();
      users.upsert(UserProfile.fromWebhook("telegram", 4, null, null, "nameless", "en")).await();
      users.upsert(new UserProfile("telegram", 5, "Staff", "Member", null, "ru", UserProfile.SOURCE_MANUAL, null, null)).await();
      users.upsert(new UserProfile("telegram", 6, " ", null, "ghost", "ru", UserProfile.SOURCE_MANUAL, null, null)).await();
      JsonObject coverage = Http.get(worker, "/monitoring/profiles/coverage").json();
      assertEquals(6, coverage.getLong("users"), coverage.encodePrettily());
      assertEquals(4, coverage.getLong("with_real_name"));
      assertEquals(0.6667, coverage.getDouble("share"));
      assertEquals(new JsonObject().put("users", 4).put("with_real_name", 3).put("share", 0.75),
          coverage.getJsonObject("by_source").getJsonObject("webhook"));
      assertEquals(new JsonObject().put("users", 2).put("with_real_name", 1).put("share", 0.5),
          coverage.getJsonObject("by_source").getJsonObject("manual"));

      // MAX users 1 and 2 are not Telegram users 1 and 2; MAX user 1 gave only a username, copied into the name.
      users.upsert(UserProfile.fromWebhook("max", 1, "maxuser", null, "maxuser", "ru")).await();
      users.upsert(UserProfile.fromWebhook("max", 2, "Мария", "Петрова", null, "ru")).await();
      coverage = Http.get(worker, "/monitoring/profiles/coverage").json();
      assertEquals(8, coverage.getLong("users"), coverage.encodePrettily());
      assertEquals(6, coverage.getJsonObject("platforms").getJsonObject("telegram").getLong("users"));
      JsonObject maxCoverage = coverage.getJsonObject("platforms").getJsonObject("max");
      assertEquals(2, maxCoverage.getLong("users"));
      assertEquals(1, maxCoverage.getLong("with_real_name"));
      assertEquals(new JsonObject().put("users", 2).put("with_real_name", 1).put("share", 0.5),
          maxCoverage.getJsonObject("by_source").getJsonObject("webhook"));
      JsonObject quality = Http.get(worker, "/monitoring/profiles/quality").json();
      JsonObject telegramQuality = quality.getJsonObject("platforms").getJsonObject("telegram");
      assertEquals(4, telegramQuality.getLong("profiles"), quality.encodePrettily());
      assertEquals(new JsonObject().put("count", 2).put("ratio", 0.5), telegramQuality.getJsonObject("real_first_name"));
      assertEquals(new JsonObject().put("count", 2).put("ratio", 0.5), telegramQuality.getJsonObject("last_name"));
      assertEquals(new JsonObject().put("count", 3).put("ratio", 0.75), telegramQuality.getJsonObject("username"));
      assertEquals(new JsonObject().put("count", 1).put("ratio", 0.5),
          quality.getJsonObject("platforms").getJsonObject("max").getJsonObject("real_first_name"));
      JsonArray qualityAlerts = new JsonArray()
          .add(new JsonObject().put("name", "profile_quality").put("platform", "telegram").put("value", 0.5).put("threshold", 0.8))
          .add(new JsonObject().put("name", "profile_quality").put("platform", "max").put("value", 0.5).put("threshold", 0.8));
      assertEquals(qualityAlerts, quality.getJsonArray("alerts"));
      assertEquals(qualityAlerts, Http.get(worker, "/monitoring/profiles/coverage").json().getJsonArray("alerts"));
      String metrics = Http.get(worker, "/metrics").body();
      String instance = "instance=\"" + NodeId.of(vertx) + "\"";
      assertTrue(metrics.contains("splitbot_alert{alert=\"profile_quality\"," + instance + ",platform=\"max\"} 1.0"), metrics);
      assertTrue(metrics.contains("splitbot_alert{alert=\"webhook_error_rate\"," + instance + ",platform=\"telegram\"} 0.0"), metrics);

      String cacheName = "test-cache-" + UUID.randomUUID();
      CacheStats cache = CacheStats.named(cacheName);
      cache.hit("telegram");
      cache.hit("telegram");
      cache.hit("max");
      cache.miss("max");
      Http.Answer cacheHealth = Http.get(worker, "/monitoring/cache-health");
      assertEquals(200, cacheHealth.status(), cacheHealth.body());
      JsonObject redisPart = cacheHealth.json().getJsonObject("redis");
      assertEquals("UP", cacheHealth.json().getString("status"));
      assertEquals(true, redisPart.getBoolean("reachable"));
      assertTrue(redisPart.getLong("latency_ms") >= 0);
      assertTrue(redisPart.getLong("keys") >= 31, "dedup marks of 31 updates are keys: " + redisPart);
      assertTrue(redisPart.getLong("keyspace_hits") + redisPart.getLong("keyspace_misses") > 0, redisPart.encode());
      assertNotNull(redisPart.getDouble("hit_rate"));
      assertEquals(0.75, cacheHealth.json().getJsonObject("caches").getJsonObject(cacheName).getDouble("hit_rate"));
      JsonObject cachePlatforms = cacheHealth.json().getJsonObject("platforms");
      assertEquals(new JsonObject().put("hits", 2).put("misses", 0).put("hit_rate", 1.0),
          cachePlatforms.getJsonObject("telegram").getJsonObject("caches").getJsonObject(cacheName));
      assertEquals(new JsonObject().put("hits", 1).put("misses", 1).put("hit_rate", 0.5),
          cachePlatforms.getJsonObject("max").getJsonObject("caches").getJsonObject(cacheName));

      Http.Answer services = Http.get(edge, "/health/services");
      assertEquals(200, services.status(), services.body());
      JsonObject parts = services.json().getJsonObject("services");
      for (String part : List.of("edge", "worker", "redis", "storage", "legacy")) {
        assertEquals("UP", parts.getJsonObject(part).getString("status"), part + ": " + services.body());
        assertTrue(parts.getJsonObject(part).getLong("latency_ms") >= 0, part);
      }
      assertEquals(false, parts.getJsonObject("legacy").getBoolean("required"), "at 100% the legacy bot is not required");
      assertEquals(new JsonObject().put("count", 0), parts.getJsonObject("edge").getJsonObject("dead_letters"));
      assertEquals("json", parts.getJsonObject("storage").getString("backend"));
      // One process in both roles: one edge and one worker, with one node id, which names its metrics too.
      JsonArray members = services.json().getJsonArray("members");
      assertEquals(List.of(NodeId.of(vertx)), MemberList.nodes(members, "edge"), members.encode());
      assertEquals(List.of(NodeId.of(vertx)), MemberList.nodes(members, "worker"), members.encode());

      // The legacy bot goes away: shown DOWN, but not required at 100%, so the answer stays 200.
      // (The answer is shared for up to 2 s: wait for the next check.)
      legacy.stop().await();
      services = servicesOnceTrue(edge, a -> "DOWN".equals(part(a, "legacy").getString("status")));
      assertEquals(200, services.status(), services.body());
      assertEquals("DOWN", services.json().getJsonObject("services").getJsonObject("legacy").getString("status"));

      // Redis goes away: a required part is down.
      redis.kill();
      services = servicesOnceTrue(edge, a -> "DOWN".equals(part(a, "redis").getString("status")));
      assertEquals(503, services.status(), services.body());
      parts = services.json().getJsonObject("services");
      assertEquals("DOWN", services.json().getString("status"));
      assertEquals("DOWN", parts.getJsonObject("redis").getString("status"), services.body());
      assertTrue(parts.getJsonObject("redis").getString("reason").length() > 0);
      assertEquals("UP", parts.getJsonObject("worker").getString("status"));
      assertEquals("UP", parts.getJsonObject("storage").getString("status"));
      cacheHealth = Http.get(worker, "/monitoring/cache-health");
      assertEquals(503, cacheHealth.status(), cacheHealth.body());
      assertEquals(false, cacheHealth.json().getJsonObject("redis").getBoolean("reachable"));
    }
  }

  @Test
  void withoutAWorkerHealthServicesIs503AndNamesTheWorker(Vertx vertx) throws Exception {
    // The edge alone (webhook-server's verticle) in this JVM, with no worker consumer on the event bus.
    Map<String, String> env = TestEnv.webhookEnv("http://127.0.0.1:1", TestEnv.tempDir("services-alone"));
    io.splitbot.edge.EdgeVerticle edge = new io.splitbot.edge.EdgeVerticle(
        io.splitbot.shared.config.SplitbotConfig.fromEnv(env, io.splitbot.shared.config.Role.EDGE));
    vertx.deployVerticle(edge).await();
    Http.Answer services = Http.get(edge.actualPort(), "/health/services");
    assertEquals(503, services.status(), services.body());
    JsonObject parts = services.json().getJsonObject("services");
    assertEquals("UP", parts.getJsonObject("edge").getString("status"));
    assertEquals("DOWN", parts.getJsonObject("worker").getString("status"));
    assertTrue(parts.getJsonObject("worker").getString("reason").startsWith("no worker answered"), services.body());
    assertEquals("UNKNOWN", parts.getJsonObject("redis").getString("status"));
    assertEquals("UNKNOWN", parts.getJsonObject("storage").getString("status"));
  }

  private static JsonObject part(Http.Answer services, String name) {
    return services.json().getJsonObject("services").getJsonObject(name, new JsonObject());
  }

  /** The edge's /health/services once {@code condition} holds for it (its answer is reused for up to 2 s). */
  private static Http.Answer servicesOnceTrue(int edge, java.util.function.Predicate<Http.Answer> condition) throws Exception {
    Http.Answer[] last = new Http.Answer[1];
    awaitTrue(() -> {
      try {
        last[0] = Http.get(edge, "/health/services");
        return condition.test(last[0]);
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(15));
    return last[0];
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
