package io.splitbot.worker.monitoring;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /monitoring/cache-health}: whether Redis answers and how fast, its key count, its hit rate (from
 * {@code INFO stats}: keyspace_hits over keyspace_hits + keyspace_misses), and the hit rate each cache of this
 * process counted itself ({@link CacheStats}), overall ({@code caches}) and per platform for the caches that count
 * per platform ({@code platforms}, e.g. the profile cache), and whether the profile cache is on
 * ({@code profile_cache}, PROFILE_CACHE_ENABLED). Reports DOWN when Redis is configured but does not answer.
 */
public final class CacheHealth {
  static final String PROFILE_CACHE_OFF = "PROFILE_CACHE_ENABLED=false: profiles are read from and written to the storage only";

  private final RedisAPI redis;
  private final boolean profileCacheEnabled;

  /**
   * @param redis the worker's Redis, or null when REDIS_URL is not set.
   * @param profileCacheEnabled PROFILE_CACHE_ENABLED: whether profiles are cached at all
   */
  public CacheHealth(RedisAPI redis, boolean profileCacheEnabled) {
    this.redis = redis;
    this.profileCacheEnabled = profileCacheEnabled;
  }

  public Future<JsonObject> report() {
    return redisPart().map(out -> out.put("platforms", platforms()).put("profile_cache", profileCache()));
  }

  /** Whether the profile cache is on, so an empty "profiles" count is not read as a cache that is never hit. */
  private JsonObject profileCache() {
    JsonObject out = new JsonObject().put("enabled", profileCacheEnabled);
    return profileCacheEnabled ? out : out.put("reason", PROFILE_CACHE_OFF);
  }

  private static JsonObject platforms() {
    JsonObject out = new JsonObject();
    for (String platform : PlatformUpdates.PLATFORMS) {
      JsonObject caches = new JsonObject();
      CacheStats.all().forEach((name, stats) -> {
        if (stats.perPlatform()) {
          caches.put(name, stats.platform(platform).toJson());
        }
      });
      out.put(platform, new JsonObject().put("caches", caches));
    }
    return out;
  }

  private Future<JsonObject> redisPart() {
    JsonObject caches = new JsonObject();
    CacheStats.all().forEach((name, stats) -> caches.put(name, stats.toJson()));
    if (redis == null) {
      return Future.succeededFuture(new JsonObject()
          .put("status", "NOT_CONFIGURED")
          .put("redis", new JsonObject().put("configured", false))
          .put("caches", caches));
    }
    long started = System.nanoTime();
    return redis.ping(List.of()).timeout(ServiceProbes.TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .compose(pong -> {
          long latency = ServiceProbes.millisSince(started);
          return Future.all(
                  redis.dbsize().timeout(ServiceProbes.TIMEOUT_MS, TimeUnit.MILLISECONDS),
                  redis.info(List.of("stats")).timeout(ServiceProbes.TIMEOUT_MS, TimeUnit.MILLISECONDS))
              .map(all -> {
                long keys = all.<io.vertx.redis.client.Response>resultAt(0).toLong();
                String info = all.<io.vertx.redis.client.Response>resultAt(1).toString();
                long hits = infoField(info, "keyspace_hits");
                long misses = infoField(info, "keyspace_misses");
                return new JsonObject()
                    .put("status", "UP")
                    .put("redis", new JsonObject()
                        .put("configured", true)
                        .put("reachable", true)
                        .put("latency_ms", latency)
                        .put("keys", keys)
                        .put("keyspace_hits", hits)
                        .put("keyspace_misses", misses)
                        .put("hit_rate", Ratios.of(hits, hits + misses)))
                    .put("caches", caches);
              });
        })
        .recover(e -> Future.succeededFuture(new JsonObject()
            .put("status", "DOWN")
            .put("redis", new JsonObject()
                .put("configured", true)
                .put("reachable", false)
                .put("latency_ms", ServiceProbes.millisSince(started))
                .put("reason", ServiceProbes.REDIS_DOWN))
            .put("caches", caches)));
  }

  static long infoField(String info, String field) {
    for (String line : info.split("\r?\n")) {
      if (line.startsWith(field + ":")) {
        try {
          return Long.parseLong(line.substring(field.length() + 1).trim());
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }
}
