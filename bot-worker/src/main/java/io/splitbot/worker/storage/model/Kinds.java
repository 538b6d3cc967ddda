package io.splitbot.worker.storage.model;

import io.vertx.core.json.JsonObject;
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

  public static final Kind<UserProfile> USERS = Kind.<UserProfile>named("users").airtable("Users")
      .field("user_id", Kind.Type.LONG).key("user_id")
      .text("first_name", "last_name", "username", "language_code", "profile_source")
      .field("profile_last_updated", Kind.Type.INSTANT).field("created_at", Kind.Type.INSTANT)
      .version("profile_last_updated", u -> u.profileLastUpdated().toEpochMilli())
      .codec(u -> new JsonObject()
          .put("user_id", u.userId())
          .put("first_name", u.firstName())
          .put("last_name", u.lastName())
          .put("username", u.username())
          .put("language_code", u.languageCode())
          .put("profile_source", u.profileSource())
          .put("profile_last_updated", Values.format(u.profileLastUpdated()))
          .put("created_at", Values.format(u.createdAt())),
      j -> new UserProfile(
          Values.longValue(j, "user_id"),
          Values.text(j, "first_name"),
          Values.text(j, "last_name"),
          Values.text(j, "username"),
          Values.text(j, "language_code"),
          Values.text(j, "profile_source"),
          Values.requiredInstant(j, "profile_last_updated"),
          Values.requiredInstant(j, "created_at")));

  public static final Kind<ConversationState> CONVERSATIONS = Kind.<ConversationState>named("conversations")
      .airtable("Conversations").text("key", "step", "data").field("updated_at", Kind.Type.INSTANT).key("key")
      .version("updated_at", c -> c.updatedAt().toEpochMilli())
      .codec(c -> new JsonObject()
          .put("key", c.key())
          .put("step", c.step())
          .put("data", c.dataJson())
          .put("updated_at", Values.format(c.updatedAt())),
      j -> new ConversationState(
          Values.text(j, "key"),
          Values.text(j, "step"),
          j.getValue("data") instanceof JsonObject o ? o.encode() : j.getString("data"),
          Values.requiredInstant(j, "updated_at")));

  /** The values of every named key-value store, keyed {@code store/key}. */
  public static final Kind<KeyValueEntry> KEY_VALUE = Kind.<KeyValueEntry>named("kv").airtable("KeyValue")
      .text("store", "key").field("value", Kind.Type.JSON).field("updated_at", Kind.Type.INSTANT).key("store", "key")
      .version("updated_at", e -> e.updatedAt().toEpochMilli())
      .codec(e -> new JsonObject()
          .put("store", e.store())
          .put("key", e.key())
          .put("value", e.value())
          .put("updated_at", Values.format(e.updatedAt())),
      j -> new KeyValueEntry(
          Values.text(j, "store"),
          j.getString("key"),
          j.getValue("value") instanceof String s ? new JsonObject(s) : j.getJsonObject("value"),
          Values.requiredInstant(j, "updated_at")));

  private static final List<Kind<?>> ALL = load();

  private static List<Kind<?>> load() {
    List<Kind<?>> all = new ArrayList<>(List.of(USERS));
    for (KindSet set : ServiceLoader.load(KindSet.class, Kinds.class.getClassLoader())) {
      all.addAll(set.kinds());
    }
    all.add(CONVERSATIONS);
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
