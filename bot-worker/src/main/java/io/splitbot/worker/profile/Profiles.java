package io.splitbot.worker.profile;

import io.splitbot.worker.bot.Sender;
import io.splitbot.worker.monitoring.CacheStats;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.UserRepository;
import io.vertx.redis.client.RedisAPI;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Who users are, per platform: read through the profile cache, and captured from the sender of every update.
 *
 * <p>Capture writes the users table only when something changed or the stored profile is older than PROFILE_TTL,
 * so a busy user costs one cache read per update. A profile staff entered by hand ({@code profile_source=manual})
 * is never overwritten by what the platform sends.
 */
public final class Profiles {
  private final UserRepository users;
  private final ProfileCache cache;
  private final ProfileSettings settings;
  private final long ttlMillis;
  private final Clock clock;
  /** Null when the cache is off: nothing is looked up, so nothing is counted. */
  private final CacheStats stats;

  /** Profiles kept in memory when there is no Redis. */
  static final int EMBEDDED_PROFILES = 100_000;

  /** Cached for {@code ttlSeconds} in Redis when it is configured, else in this process's memory. */
  public static Profiles of(Storage storage, RedisAPI redis, long ttlSeconds) {
    return of(storage, redis, ProfileSettings.cachedFor(ttlSeconds));
  }

  /**
   * The runtime's profiles: cached in Redis when it is configured, else in this process's memory; with
   * PROFILE_CACHE_ENABLED=false not cached at all, every lookup and capture reading the storage.
   */
  public static Profiles of(Storage storage, RedisAPI redis, ProfileSettings settings) {
    ProfileCache cache = !settings.cacheEnabled() ? ProfileCache.none()
        : redis != null ? new RedisProfileCache(redis, settings.ttlSeconds())
        : new EmbeddedProfileCache(settings.ttlSeconds(), EMBEDDED_PROFILES, Clock.systemUTC());
    return new Profiles(storage.users(), cache, settings, Clock.systemUTC());
  }

  public Profiles(UserRepository users, ProfileCache cache, long ttlSeconds, Clock clock) {
    this(users, cache, ProfileSettings.cachedFor(ttlSeconds), clock);
  }

  public Profiles(UserRepository users, ProfileCache cache, ProfileSettings settings, Clock clock) {
    this.users = users;
    this.cache = cache;
    this.settings = settings;
    this.ttlMillis = settings.ttlSeconds() * 1000;
    this.clock = clock;
    this.stats = settings.cacheEnabled() ? CacheStats.named(CACHE_NAME) : null;
  }

  /** The profile cache's name in /monitoring/cache-health and /metrics. */
  public static final String CACHE_NAME = "profiles";

  /**
   * A cache lookup, counted for /monitoring/cache-health. A cache that fails or does not answer within
   * PROFILE_CACHE_TIMEOUT is a miss: the storage answers instead.
   */
  private Future<Optional<UserProfile>> cached(String platform, long userId) {
    if (stats == null) {
      return Future.succeededFuture(Optional.empty());
    }
    return cache.get(platform, userId)
        .timeout(settings.cacheTimeoutMs(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture(Optional.empty())).onSuccess(p -> {
          if (p.isPresent()) {
            stats.hit(platform);
          } else {
            stats.miss(platform);
          }
        });
  }

  /** The profile from the cache, else from storage (and then cached); empty for a user never seen. */
  public Future<Optional<UserProfile>> find(String platform, long userId) {
    return cached(platform, userId).compose(cached -> {
      if (cached.isPresent()) {
        return Future.succeededFuture(cached);
      }
      return users.find(platform, userId).compose(stored -> stored.isEmpty()
          ? Future.succeededFuture(stored)
          : cacheQuietly(stored.get()).map(stored));
    });
  }

  /**
   * The profile the bot may use for this user (a name to show, a contact name to offer, a language): as
   * {@link #find}, but empty for a user outside PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE, whose profile is captured and
   * not used yet.
   */
  public Future<Optional<UserProfile>> integrated(String platform, long userId) {
    return settings.integrated(platform, userId) ? find(platform, userId) : Future.succeededFuture(Optional.empty());
  }

  /** A name to show for a user: first and last name, else @username, else the id (also outside the integration). */
  public Future<String> displayName(String platform, long userId) {
    return integrated(platform, userId).map(p -> p.map(UserProfile::displayName).orElse(String.valueOf(userId)));
  }

  /** The user's language_code as last seen, or null (the default language, also outside the integration). */
  public Future<String> languageCode(String platform, long userId) {
    return integrated(platform, userId).map(p -> p.map(UserProfile::languageCode).orElse(null)).otherwise((String) null);
  }

  /**
   * Records the sender of an update (platform, id, names, username, language). Returns the profile as stored; empty
   * when the update has no human sender.
   */
  public Future<Optional<UserProfile>> capture(Sender sender) {
    if (sender == null || sender.bot() || sender.chat()) {
      return Future.succeededFuture(Optional.empty());
    }
    UserProfile seen = UserProfile.fromWebhook(sender.platform(), sender.id(), sender.firstName(), sender.lastName(),
        sender.username(), sender.languageCode());
    return cached(seen.platform(), seen.userId()).compose(cached -> {
      if (cached.isPresent() && (isManual(cached.get()) || sameAndFresh(cached.get(), seen))) {
        return Future.succeededFuture(cached);
      }
      return users.find(seen.platform(), seen.userId()).compose(stored -> {
        if (stored.isPresent() && (isManual(stored.get()) || sameAndFresh(stored.get(), seen))) {
          return cacheQuietly(stored.get()).map(stored);
        }
        return users.upsert(seen).compose(saved -> cacheQuietly(saved).map(Optional.of(saved)));
      });
    });
  }

  private static boolean isManual(UserProfile p) {
    return UserProfile.SOURCE_MANUAL.equals(p.profileSource());
  }

  private boolean sameAndFresh(UserProfile known, UserProfile seen) {
    return Objects.equals(known.firstName(), seen.firstName())
        && Objects.equals(known.lastName(), seen.lastName())
        && Objects.equals(known.username(), seen.username())
        && Objects.equals(known.languageCode(), seen.languageCode())
        && known.profileLastUpdated().toEpochMilli() + ttlMillis > clock.millis();
  }

  /** The cache is an optimisation: Redis being away or slow must not fail or hold up the update. */
  private Future<Void> cacheQuietly(UserProfile p) {
    if (stats == null) {
      return Future.succeededFuture(); // PROFILE_CACHE_ENABLED=false
    }
    return cache.put(p).timeout(settings.cacheTimeoutMs(), TimeUnit.MILLISECONDS).otherwiseEmpty();
  }
}
