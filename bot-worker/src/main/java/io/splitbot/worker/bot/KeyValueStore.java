package io.splitbot.worker.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A bot's own data: JSON values under text keys, in one named store ({@code context.store("scores")}). It lives in
 * the configured backend (the JSON files, PostgreSQL, Airtable, or both with dual-write) and moves with the
 * migration CLI like the rest of the bot's data. Stores with different names never see each other's keys.
 *
 * <p>Writes are last-writer-wins per key. A write inside a handler that must not happen twice when the update runs
 * again goes in {@code ctx.once(...)}; per-chat state that must change only when the handler succeeds belongs in
 * {@code ctx.session()} instead.
 */
public interface KeyValueStore {
  /** Keys are 1 to 200 characters, without control characters. */
  int MAX_KEY_LENGTH = 200;

  /** The store's name, as given to {@code context.store(name)}. */
  String name();

  /** The value, or null when the key has none. */
  Future<JsonObject> get(String key);

  /** Inserts or replaces the value. */
  Future<Void> put(String key, JsonObject value);

  /** True when there was a value to delete. */
  Future<Boolean> delete(String key);

  /**
   * Up to {@code limit} entries whose key starts with {@code prefix} ("" for all) and sorts after {@code afterKey}
   * (null to start at the beginning), in key order (by UTF-16 code unit, as {@link String#compareTo}). Page on by
   * passing the last key returned.
   */
  Future<List<Entry>> list(String prefix, String afterKey, int limit);

  /** Every entry under {@code prefix}, in key order; for small sets, else page with {@link #list(String, String, int)}. */
  default Future<List<Entry>> list(String prefix) {
    return ListAll.of(this, prefix);
  }

  record Entry(String key, JsonObject value) {
  }

  /** Checks a key; every backend calls it, so a key that one backend takes, every backend takes. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
      throw new IllegalArgumentException("a key must be 1 to " + MAX_KEY_LENGTH + " characters");
    }
    for (int i = 0; i < key.length(); i++) {
      if (Character.isISOControl(key.charAt(i))) {
        throw new IllegalArgumentException("a key must not contain control characters");
      }
    }
    return key;
  }
}
