package io.splitbot.worker.profile;

import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Recently seen profiles, so that capturing the profile of every update costs no storage round trip. A cache only:
 * the users table is the record, and a lost or expired entry is read again from it.
 */
public interface ProfileCache {
  Future<Optional<UserProfile>> get(long userId);

  /** Keeps the profile for PROFILE_TTL. */
  Future<Void> put(UserProfile profile);

  /** No cache: every read goes to storage. */
  static ProfileCache none() {
    return new ProfileCache() {
      @Override
      public Future<Optional<UserProfile>> get(long userId) {
        return Future.succeededFuture(Optional.empty());
      }

      @Override
      public Future<Void> put(UserProfile profile) {
        return Future.succeededFuture();
      }
    };
  }
}
