package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import java.util.Optional;

/** Users and their profiles, keyed by Telegram user id. */
public interface UserRepository {
  /** Inserts or replaces the profile; an existing user keeps its created_at. Returns the stored profile. */
  Future<UserProfile> upsert(UserProfile profile);

  Future<Optional<UserProfile>> find(long userId);

  /** All users, by user id. */
  Future<Page<UserProfile>> list(int page, int size);
}
