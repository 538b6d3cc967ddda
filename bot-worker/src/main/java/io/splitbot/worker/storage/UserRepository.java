package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Users and their profiles, keyed by Telegram user id, on any backend. */
public class UserRepository {
  private final Storage storage;

  public UserRepository(Storage storage) {
    this.storage = storage;
  }

  /** Inserts or replaces the profile; an existing user keeps its created_at. Returns the stored profile. */
  public Future<UserProfile> upsert(UserProfile p) {
    String key = Long.toString(p.userId());
    return storage.update(List.of(Tx.ref(Kinds.USERS, key)), tx -> {
      UserProfile existing = tx.get(Kinds.USERS, key);
      UserProfile stored = existing == null ? p : new UserProfile(p.userId(), p.firstName(), p.lastName(),
          p.username(), p.languageCode(), p.profileSource(), p.profileLastUpdated(), existing.createdAt());
      tx.put(Kinds.USERS, stored);
      return stored;
    });
  }

  public Future<Optional<UserProfile>> find(long userId) {
    return storage.records(Kinds.USERS).get(Long.toString(userId)).map(Optional::ofNullable);
  }

  /** All users, by user id. */
  public Future<Page<UserProfile>> list(int page, int size) {
    return storage.records(Kinds.USERS).page(Query.all().orderBy("user_id", false), page, size);
  }
}
