package io.splitbot.worker.storage.model;

import io.splitbot.worker.storage.StoreNames;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One value of a named key-value store ({@code context.store(name)}); its record key is {@code store/key}. */
public record KeyValueEntry(String store, String key, JsonObject value, Instant updatedAt) {
  public KeyValueEntry {
    StoreNames.check(store);
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a key-value entry needs a key");
    }
    if (value == null) {
      throw new IllegalArgumentException("a value must be a JSON object, not null");
    }
    updatedAt = updatedAt == null ? Values.now() : Values.millis(updatedAt);
  }

  /** The record key of {@code key} in {@code store}. */
  public static String recordKey(String store, String key) {
    return store + Kind.KEY_SEPARATOR + key;
  }
}
