package io.splitbot.edge.deadletter;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.deadletter.DeadLetterCount;
import io.splitbot.shared.deadletter.DeadLetterOwner;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.shared.redis.RedisClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

/**
 * The edge's own dead letters, where {@link DeadLetterOwner#EDGE} puts them: the Redis hash when REDIS_URL is set
 * (whatever SPOOL is), else {@code DATA_DIR/edge-dead-letters}. The edge holds no other Redis client outside its
 * spool, so this opens one of its own, small: it writes only when an update is refused for good, and reads for the
 * replay scan and the counts.
 */
public final class EdgeDeadLetters {
  /** Under the worker's wait for the edge's stats (2 s), so a slow store costs the count, not the whole answer. */
  static final long COUNT_TIMEOUT_MS = 1_000;

  private final DeadLetterStore store;
  private final Redis redis;

  private EdgeDeadLetters(DeadLetterStore store, Redis redis) {
    this.store = store;
    this.redis = redis;
  }

  public static EdgeDeadLetters open(Vertx vertx, SplitbotConfig config) {
    Redis redis = config.redis().configured() ? RedisClients.create(vertx, config.redis()) : null;
    return new EdgeDeadLetters(DeadLetterOwner.EDGE.open(vertx, config, redis == null ? null : RedisAPI.api(redis)), redis);
  }

  public DeadLetterStore store() {
    return store;
  }

  /** {@code {"count": n}} for /health/services and the edge's stats ({@link DeadLetterCount}). */
  public Future<JsonObject> countJson() {
    return DeadLetterCount.of(store, COUNT_TIMEOUT_MS);
  }

  public Future<Void> close() {
    return store.close().eventually(() -> {
      if (redis != null) {
        redis.close();
      }
      return Future.succeededFuture();
    });
  }
}
