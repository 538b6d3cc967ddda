package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Users and their profiles, keyed by (platform, user id), on any backend. */
public class UserRepository {
  /** Told of every profile written through a repository of the same storage: what it was (or null) and is now. */
  @FunctionalInterface
  public interface Listener {
    void written(UserProfile before, UserProfile after);
  }

  /**
   * Listeners per storage object, so that every repository over one storage (the desk's, monitoring's) reports to the
   * same ones; weak, so a closed storage takes its listeners with it.
   */
  private static final Map<Storage, List<Listener>> LISTENERS = Collections.synchronizedMap(new WeakHashMap<>());

  private final Storage storage;

  public UserRepository(Storage storage) {
    this.storage = storage;
  }

  /**
   * Calls {@code listener} after every profile written through a repository of this storage in this process.
   * Returns what stops it.
   */
  public Runnable listen(Listener listener) {
    List<Listener> list = LISTENERS.computeIfAbsent(storage, s -> new CopyOnWriteArrayList<>());
    list.add(listener);
    return () -> list.remove(listener);
  }

  /** Inserts or replaces the profile; an existing user keeps its created_at. Returns the stored profile. */
  public Future<UserProfile> upsert(UserProfile p) {
    String key = UserProfile.key(p.platform(), p.userId());
    UserProfile[] before = new UserProfile[1];
    return storage.update(List.of(Tx.ref(Kinds.USERS, key)), tx -> {
      UserProfile existing = tx.get(Kinds.USERS, key);
      UserProfile stored = existing == null ? p : existing.replacedBy(p);
      tx.put(Kinds.USERS, stored);
      before[0] = existing;
      return stored;
    }).onSuccess(stored -> LISTENERS.getOrDefault(storage, List.of()).forEach(l -> l.written(before[0], stored)));
  }

  public Future<Optional<UserProfile>> find(String platform, long userId) {
    return storage.records(Kinds.USERS).get(UserProfile.key(platform, userId)).map(Optional::ofNullable);
  }

  /** The users of one platform, by user id. */
  public Future<Page<UserProfile>> list(String platform, int page, int size) {
    return storage.records(Kinds.USERS).page(Query.all().eq("platform", platform).orderBy("user_id", false), page, size);
  }
}
