package io.splitbot.worker.profile;

import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Profiles in this process's memory when there is no Redis: expire after PROFILE_TTL, and the least recently used
 * go first beyond {@code maxEntries}. Lost at restart, which costs one storage read per user. Keyed as the Redis cache
 * is ({@link ProfileCache#key}).
 */
public final class EmbeddedProfileCache implements ProfileCache {
  private record Entry(UserProfile profile, long expiresAtMillis) {
  }

  private final long ttlMillis;
  private final Clock clock;
  private final Map<String, Entry> entries;

  public EmbeddedProfileCache(long ttlSeconds, int maxEntries, Clock clock) {
    this.ttlMillis = ttlSeconds * 1000;
    this.clock = clock;
    this.entries = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public synchronized Future<Optional<UserProfile>> get(String platform, long userId) {
    String key = ProfileCache.key(platform, userId);
    Entry e = entries.get(key);
    if (e == null) {
      return Future.succeededFuture(Optional.empty());
    }
    if (e.expiresAtMillis <= clock.millis()) {
      entries.remove(key);
      return Future.succeededFuture(Optional.empty());
    }
    return Future.succeededFuture(Optional.of(e.profile));
  }

  @Override
  public synchronized Future<Void> put(UserProfile profile) {
    entries.put(ProfileCache.key(profile.platform(), profile.userId()), new Entry(profile, clock.millis() + ttlMillis));
    return Future.succeededFuture();
  }

  public synchronized int size() {
    return entries.size();
  }
}
