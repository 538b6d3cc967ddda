package io.splitbot.shared.redis;

import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * The one place a Redis client is made, for the edge's spool, the worker's stores and the CLI alike: pooled, it
 * reconnects by itself, its queues are bounded, and every command fails after REDIS_COMMAND_TIMEOUT_MS instead of
 * waiting on a Redis that does not answer (the Vert.x client has no command timeout of its own).
 */
public final class RedisClients {
  private RedisClients() {
  }

  public static Redis create(Vertx vertx, SplitbotConfig.Redis config) {
    if (!config.configured()) {
      throw new IllegalArgumentException("REDIS_URL is not set");
    }
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.url())
        // Bounded queues: a burst beyond them fails at once rather than growing without limit while Redis is away.
        .setMaxPoolSize(16)
        .setMaxPoolWaiting(1024)
        .setMaxWaitingHandlers(4096);
    options.getNetClientOptions()
        .setConnectTimeout((int) config.commandTimeoutMs())
        .setTcpKeepAlive(true);
    return new TimedRedis(Redis.createClient(vertx, options), config.commandTimeoutMs());
  }
}
