package io.splitbot.worker.dedup;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;

/** Dedup marks as Redis keys {@code <prefix>:<update key>} (a Telegram key is its bare update_id, as before platforms) set with SET NX EX, so they expire after the window. */
public final class RedisDeduplicator implements Deduplicator {
  private final RedisAPI redis;
  private final String prefix;
  private final long ttlSeconds;

  public RedisDeduplicator(RedisAPI redis, String prefix, long ttlSeconds) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Future<Boolean> isHandled(String updateKey) {
    return redis.exists(List.of(key(updateKey))).map(r -> r.toInteger() > 0);
  }

  @Override
  public Future<Void> markHandled(String updateKey) {
    return redis.set(List.of(key(updateKey), "1", "NX", "EX", String.valueOf(ttlSeconds))).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private String key(String updateKey) {
    return prefix + ":" + updateKey;
  }
}
