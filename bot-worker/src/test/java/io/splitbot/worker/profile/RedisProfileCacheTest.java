package io.splitbot.worker.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis profile cache against a real Redis: one hash per (platform, user), Telegram's under its old key. */
class RedisProfileCacheTest {
  private Vertx vertx;
  private RedisAPI redis;
  private long userId;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    redis = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:6379"));
    userId = 8_000_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
  }

  @AfterEach
  void close() {
    redis.del(List.of("profile:user:" + userId, "profile:max:" + userId)).await();
    vertx.close().await();
  }

  @Test
  void telegramAndMaxUsersWithTheSameIdAreTwoEntries() {
    RedisProfileCache cache = new RedisProfileCache(redis, 3600);
    cache.put(UserProfile.fromWebhook("telegram", userId, "Anna", null, "anna", "ru")).await();
    cache.put(UserProfile.fromWebhook("max", userId, "Boris", "Max", null, "en")).await();

    assertEquals("Anna", redis.hget("profile:user:" + userId, "first_name").await().toString(),
        "Telegram's entry keeps the key of the cache before platforms");
    assertEquals("Boris", redis.hget("profile:max:" + userId, "first_name").await().toString());
    assertEquals("Anna", cache.get("telegram", userId).await().orElseThrow().firstName());
    UserProfile max = cache.get("max", userId).await().orElseThrow();
    assertEquals("Boris", max.firstName());
    assertEquals("max", max.platform());
    long ttl = redis.ttl("profile:max:" + userId).await().toLong();
    assertTrue(ttl > 3590 && ttl <= 3600, "PROFILE_TTL: " + ttl);
  }

  @Test
  void aTelegramEntryWrittenBeforePlatformsStillHits() {
    // as the worker wrote it before: no platform field
    redis.hset(List.of("profile:user:" + userId, "user_id", String.valueOf(userId), "first_name", "Old",
        "profile_source", "webhook", "profile_last_updated", "2025-09-27T08:00:00.000Z",
        "created_at", "2025-09-27T08:00:00.000Z")).await();
    UserProfile old = new RedisProfileCache(redis, 3600).get("telegram", userId).await().orElseThrow();
    assertEquals("Old", old.firstName());
    assertEquals("telegram", old.platform());
    assertTrue(new RedisProfileCache(redis, 3600).get("max", userId).await().isEmpty());
  }
}
