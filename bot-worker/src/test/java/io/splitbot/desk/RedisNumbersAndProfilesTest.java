package io.splitbot.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.numbering.RequestNumberAllocator;
import io.splitbot.worker.profile.ProfileCache;
import io.splitbot.worker.profile.RedisProfileCache;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the Redis on 127.0.0.1:6379 (keys of a day in 2098 and a random user id, deleted afterwards): the number
 * script lifts Redis above the database counter and the database follows Redis; an unreachable Redis falls back to
 * blocks of the database counter, and Redis continues above them; profiles round-trip through their hash with PROFILE_TTL.
 */
class RedisNumbersAndProfilesTest {
  private Vertx vertx;
  private Storage storage;
  private RedisAPI redis;
  private String day;
  private long userId;

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    storage = new JsonStorage(vertx, dir, false);
    storage.start().await();
    redis = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:6379"));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    day = String.format("98%02d%02d", random.nextInt(1, 13), random.nextInt(1, 29));
    userId = 9_000_000_000L + ThreadLocalRandom.current().nextInt(1_000_000);
  }

  @AfterEach
  void close() {
    redis.del(List.of(RequestNumberAllocator.KEY_PREFIX + day, ProfileCache.key("telegram", userId))).await();
    storage.close().await();
    vertx.close().await();
  }

  private RequestNumberAllocator allocator(RedisAPI api) {
    Instant at = java.time.LocalDate.parse("20" + day.substring(0, 2) + "-" + day.substring(2, 4) + "-" + day.substring(4))
        .atTime(12, 0).toInstant(ZoneOffset.UTC);
    return new RequestNumberAllocator(new DeskStorage(storage).counters(), api, ZoneId.of("UTC"), Clock.fixed(at, ZoneOffset.UTC),
        true, 3);
  }

  @Test
  void redisCountsAboveTheDatabaseAndTheDatabaseFollowsRedis() {
    RequestNumberAllocator numbers = allocator(redis);
    String key = RequestNumberAllocator.KEY_PREFIX + day;
    new DeskStorage(storage).counters().raiseTo(day, 5).await();
    assertEquals(day + "-006", numbers.next().await(), "lifted above the fallback's 5");
    assertEquals(6L, new DeskStorage(storage).counters().current(day).await(), "the database follows");
    long ttl = redis.ttl(key).await().toLong();
    assertTrue(ttl > 0 && ttl <= 2 * 24 * 3600, "the day's key expires: " + ttl);

    redis.set(List.of(key, "20")).await();
    assertEquals(day + "-021", numbers.next().await());
    assertEquals(21L, new DeskStorage(storage).counters().current(day).await());

    // Redis unreachable: a block of 3 from the database counter, above everything Redis gave
    RequestNumberAllocator down = allocator(RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:1")));
    assertEquals(day + "-022", down.next().await());
    assertEquals(day + "-023", down.next().await());
    assertEquals(2, down.fallbackCount());
    // and Redis again: above the fallback's whole block 22-24, though 24 was not handed out
    assertEquals(day + "-025", numbers.next().await());
  }

  @Test
  void profilesRoundTripThroughTheirHashWithTheTtl() {
    RedisProfileCache cache = new RedisProfileCache(redis, 3600);
    assertTrue(cache.get("telegram", userId).await().isEmpty());
    UserProfile p = UserProfile.fromWebhook("telegram", userId, "Иван", null, "ivan", "ru");
    cache.put(p).await();
    assertEquals(p, cache.get("telegram", userId).await().orElseThrow());
    assertEquals("Иван", redis.hget(ProfileCache.key("telegram", userId), "first_name").await().toString());
    long ttl = redis.ttl(ProfileCache.key("telegram", userId)).await().toLong();
    assertTrue(ttl > 3590 && ttl <= 3600, "PROFILE_TTL: " + ttl);
    cache.put(UserProfile.fromWebhook("telegram", userId, "Ivan", "Petrov", null, "en")).await();
    UserProfile again = cache.get("telegram", userId).await().orElseThrow();
    assertEquals("Petrov", again.lastName());
    assertEquals(null, again.username(), "the hash is replaced, not merged");
  }
}
