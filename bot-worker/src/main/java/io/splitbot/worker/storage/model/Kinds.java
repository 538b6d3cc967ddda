package io.splitbot.worker.storage.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The runtime's record kinds, and every kind a module declares through a {@link KindSet} (found by ServiceLoader),
 * in the order a migration copies them.
 */
public final class Kinds {
  private Kinds() {
  }

  /** The kinds of a bot module's own records: {@code META-INF/services/io.splitbot.worker.storage.model.KindSet}. */
  public interface KindSet {
    /** Parents before children. */
    List<Kind<?>> kinds();
  }

  /** Keyed by (platform, user_id); a record without a platform (stored before there were two) is Telegram's. */
  public static final Kind<UserProfile> USERS = Kind.of(UserProfile.class, "users").airtable("Users")
      .key("platform", "user_id").defaultValue("platform", UserProfile.DEFAULT_PLATFORM)
      .version("profile_last_updated").build();

  /** The values of every named key-value store, keyed {@code store/key}. */
  public static final Kind<KeyValueEntry> KEY_VALUE = Kind.of(KeyValueEntry.class, "kv").airtable("KeyValue")
      .key("store", "key").version("updated_at").build();

  private static final List<Kind<?>> ALL = load();

  private static List<Kind<?>> load() {
    List<Kind<?>> all = new ArrayList<>(List.of(USERS));
    for (KindSet set : ServiceLoader.load(KindSet.class, Kinds.class.getClassLoader())) {
      all.addAll(set.kinds());
    }
    all.add(KEY_VALUE);
    if (all.stream().map(Kind::name).distinct().count() != all.size()) {
      throw new IllegalStateException("two record kinds share a name: " + all);
    }
    return List.copyOf(all);
  }

  /** Every kind, parents before children. */
  public static List<Kind<?>> all() {
    return ALL;
  }

  public static Optional<Kind<?>> byName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    return ALL.stream().filter(k -> k.name().equals(n)).findFirst();
  }
}
