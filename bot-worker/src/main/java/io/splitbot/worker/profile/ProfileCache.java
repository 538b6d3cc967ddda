package io.splitbot.worker.profile;

import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Recently seen profiles, so that capturing the profile of every update costs no storage round trip. A cache only:
 * the users table is the record, and a lost or expired entry is read again from it. Entries are per platform, under
 * {@link #key(String, long)}.
 */
public interface ProfileCache {
  /** Telegram's entries keep the key they had before there was a second platform, so a cache filled then still hits. */
  String TELEGRAM_PREFIX = "profile:user:";

  /**
   * The one key scheme of profile caches, Redis and embedded alike: {@code profile:user:<id>} for Telegram (as
   * before platforms existed) and {@code profile:<platform>:<id>} for any other, e.g. {@code profile:max:5}. A
   * platform named "user" would share Telegram's keys, so it is refused.
   */
  static String key(String platform, long userId) {
    if (UserProfile.DEFAULT_PLATFORM.equals(platform)) {
      return TELEGRAM_PREFIX + userId;
    }
    if ("user".equals(platform)) {
      throw new IllegalArgumentException("the platform name 'user' is reserved: profile:user:<id> is Telegram's cache key");
    }
    return "profile:" + platform + ":" + userId;
  }

  Future<Optional<UserProfile>> get(String platform, long userId);

  /** Keeps the profile for PROFILE_TTL. */
  Future<Void> put(UserProfile profile);

  /** No cache: every read goes to storage. */
  static ProfileCache none() {
    return new ProfileCache() {
      @Override
      public Future<Optional<UserProfile>> get(String platform, long userId) {
        return Future.succeededFuture(Optional.empty());
      }

      @Override
      public Future<Void> put(UserProfile profile) {
        return Future.succeededFuture();
      }
    };
  }
}
