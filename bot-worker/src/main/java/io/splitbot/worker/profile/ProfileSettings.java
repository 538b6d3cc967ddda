package io.splitbot.worker.profile;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Env;
import io.splitbot.shared.rollout.RolloutBuckets;

/**
 * The profile settings (seed 001's names, which are splitbot's): {@code ttlSeconds} (PROFILE_TTL) how long a profile is
 * cached and counts as fresh; {@code cacheEnabled} (PROFILE_CACHE_ENABLED) whether profiles are cached at all;
 * {@code cacheTimeoutMs} (PROFILE_CACHE_TIMEOUT) the longest wait for the cache before a lookup counts as a miss and
 * reads the storage; {@code integrationPercent} (PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE) the share of users, by a
 * stable hash of platform and id, whose captured profile the bot uses for their name and language.
 */
public record ProfileSettings(long ttlSeconds, boolean cacheEnabled, long cacheTimeoutMs, int integrationPercent) {
  static final long DEFAULT_CACHE_TIMEOUT_MS = 3_000;

  /** Cached for {@code ttlSeconds}, the seed's 3 s timeout, integrated for everyone. */
  public static ProfileSettings cachedFor(long ttlSeconds) {
    return new ProfileSettings(ttlSeconds, true, DEFAULT_CACHE_TIMEOUT_MS, 100);
  }

  public static ProfileSettings fromEnv(Env env) {
    long ttl = env.durationSeconds("PROFILE_TTL", "720h");
    if (ttl < 60) {
      throw new ConfigException("PROFILE_TTL must be at least 60s, got '" + env.string("PROFILE_TTL", "") + "'");
    }
    long timeout = env.durationSeconds("PROFILE_CACHE_TIMEOUT", "3s");
    if (timeout < 1 || timeout > 60) {
      throw new ConfigException("PROFILE_CACHE_TIMEOUT must be between 1s and 60s, got '"
          + env.string("PROFILE_CACHE_TIMEOUT", "") + "'");
    }
    return new ProfileSettings(ttl, env.bool("PROFILE_CACHE_ENABLED", true), timeout * 1000,
        env.integer("PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE", 100, 0, 100));
  }

  /** Whether the bot uses this user's captured profile (the same answer for a user everywhere and always). */
  public boolean integrated(String platform, long userId) {
    return integrationPercent >= 100 || RolloutBuckets.inside(platform + ":" + userId, integrationPercent * 100);
  }
}
