package io.splitbot.shared.deadletter;

import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;

/**
 * Whose dead letters: the worker's (handlers failed every attempt) or the edge's (the worker or the legacy bot
 * refused the update every attempt). Each has its own Redis hash and its own folder, in the one place the rule is
 * written: Redis when REDIS_URL is set, else DATA_DIR. So every process that shares a REDIS_URL (the edge, the worker
 * and the CLI on Render) sees the same letters, and so does every process on one DATA_DIR (BOT_ROLE=all).
 */
public enum DeadLetterOwner {
  /** The names the worker has always used, so letters stored before the edge had its own stay readable. */
  WORKER("worker", "splitbot:dead-letters", "dead-letters"),
  EDGE("edge", "splitbot:edge:dead-letters", "edge-dead-letters");

  private final String label;
  private final String redisKey;
  private final String dirName;

  DeadLetterOwner(String label, String redisKey, String dirName) {
    this.label = label;
    this.redisKey = redisKey;
    this.dirName = dirName;
  }

  /** {@code worker} or {@code edge}, as the CLI shows and accepts it. */
  public String label() {
    return label;
  }

  public String redisKey() {
    return redisKey;
  }

  public String dirName() {
    return dirName;
  }

  /** @param redis the caller's Redis client; required when REDIS_URL is set, ignored otherwise. */
  public DeadLetterStore open(Vertx vertx, SplitbotConfig config, RedisAPI redis) {
    if (config.redis().configured()) {
      if (redis == null) {
        throw new IllegalArgumentException("REDIS_URL is set: the " + label + "'s dead letters need a Redis client");
      }
      return new RedisDeadLetterStore(redis, redisKey);
    }
    return new FileDeadLetterStore(vertx, config.dataDir().resolve(dirName));
  }

  /** The owner a CLI argument names, or null. */
  public static DeadLetterOwner byLabel(String label) {
    for (DeadLetterOwner owner : values()) {
      if (owner.label.equals(label)) {
        return owner;
      }
    }
    return null;
  }
}
