package io.splitbot.tests.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeMaxApi;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.MaxTestUpdates;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.WebhookDeliverer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 001's profile collector on splitbot: every MAX update's sender lands in the users table and in Redis's profile
 * cache (a hash per user with PROFILE_TTL), and the monitoring endpoints count MAX's profiles apart from Telegram's,
 * raising the quality alert when too few have a real first name.
 */
@ExtendWith(VertxExtension.class)
class MaxProfileCaptureTest {
  private static final int USERS = 100;
  /** Users 0..29 show only a username, copied into first_name: no real first name. */
  private static final int NAMELESS = 30;

  @Test
  void aHundredMaxUsersAreCapturedCountedAndCached(Vertx vertx) throws Exception {
    FakeMaxApi max = new FakeMaxApi(vertx, MaxDeliveryTest.MAX_TOKEN);
    max.start().await();
    Path dir = TestEnv.tempDir("max-profiles");
    try (RedisServerProcess redisServer = new RedisServerProcess(dir).start()) {
      List<JsonObject> updates = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        long user = 900_000 + i;
        JsonObject update = MaxTestUpdates.message(600_000 + i, user, "mid.p" + i, 1_775_000_000_000L + i, "hello");
        JsonObject sender = update.getJsonObject("message").getJsonObject("sender");
        if (i < NAMELESS) {
          sender.put("first_name", "max_user_" + user).remove("last_name");
        }
        max.pushUpdate(update);
        updates.add(update);
      }
      Map<String, String> env = new HashMap<>();
      env.put("MAX_BOT_TOKEN", MaxDeliveryTest.MAX_TOKEN);
      env.put("MAX_API_URL", max.baseUrl());
      env.put("MAX_MODE", "webhook");
      env.put("MAX_WEBHOOK_SECRET", MaxDeliveryTest.MAX_SECRET);
      env.put("PORT", String.valueOf(TestEnv.freePort()));
      env.put("WORKER_PORT", String.valueOf(TestEnv.freePort()));
      env.put("DATA_DIR", dir.resolve("data").toString());
      env.put("REDIS_URL", redisServer.url());
      env.put("PROFILE_TTL", "1h");
      try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
        int worker = Integer.parseInt(env.get("WORKER_PORT"));
        bot.awaitHttp("http://127.0.0.1:" + worker + "/health/live", 200, Duration.ofSeconds(60));
        WebhookDeliverer.max(Integer.parseInt(env.get("PORT")), MaxDeliveryTest.MAX_SECRET)
            .deliverAll(updates, Duration.ofSeconds(60));

        JsonObject maxCoverage = awaitMaxUsers(worker);
        assertEquals(USERS, maxCoverage.getLong("users"), maxCoverage.encodePrettily());
        assertEquals(USERS - NAMELESS, maxCoverage.getLong("with_real_name"));
        JsonObject coverage = Http.get(worker, "/monitoring/profiles/coverage").json();
        assertEquals(0, coverage.getJsonObject("platforms").getJsonObject("telegram").getLong("users"), coverage.encodePrettily());

        JsonObject quality = Http.get(worker, "/monitoring/profiles/quality").json();
        JsonObject maxQuality = quality.getJsonObject("platforms").getJsonObject("max");
        assertEquals(USERS, maxQuality.getLong("profiles"), quality.encodePrettily());
        assertEquals(new JsonObject().put("count", USERS - NAMELESS).put("ratio", 0.7), maxQuality.getJsonObject("real_first_name"));
        assertEquals(new JsonObject().put("count", USERS - NAMELESS).put("ratio", 0.7), maxQuality.getJsonObject("last_name"));
        assertEquals(new JsonObject().put("count", USERS).put("ratio", 1.0), maxQuality.getJsonObject("username"));
        assertEquals(new JsonArray().add(new JsonObject().put("name", "profile_quality").put("platform", "max")
            .put("value", 0.7).put("threshold", 0.8)), quality.getJsonArray("alerts"));
        assertTrue(bot.output().lines().anyMatch(l -> l.contains("WARN") && l.contains("profile_quality")),
            "one WARN line when the alert starts");

        Redis client = Redis.createClient(vertx, redisServer.url());
        RedisAPI redis = RedisAPI.api(client);
        for (long user : List.of(900_000L, 900_050L, 900_099L)) {
          String key = "profile:max:" + user;
          assertEquals("hash", redis.type(key).await().toString(), key);
          long ttl = redis.ttl(key).await().toLong();
          assertTrue(ttl > 3_000 && ttl <= 3_600, key + " expires after PROFILE_TTL, ttl " + ttl);
        }
        assertEquals("Max900050", redis.hget("profile:max:900050", "first_name").await().toString());
        client.close();
      }
    } finally {
      max.stop().await();
    }
  }

  /** Coverage follows every capture as it is written: poll the endpoint until all have arrived. */
  private static JsonObject awaitMaxUsers(int worker) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonObject coverage = Http.get(worker, "/monitoring/profiles/coverage").json();
      JsonObject maxCoverage = coverage.getJsonObject("platforms").getJsonObject("max");
      if (maxCoverage.getLong("users") >= USERS || System.nanoTime() > deadline) {
        return maxCoverage;
      }
      Thread.sleep(50);
    }
  }
}
