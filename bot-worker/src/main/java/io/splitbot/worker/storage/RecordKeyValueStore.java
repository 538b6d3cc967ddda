package io.splitbot.worker.storage;

import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.model.KeyValueEntry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A named key-value store on any backend: its entries are records of {@link io.splitbot.worker.storage.model.Kinds#KEY_VALUE}
 * keyed {@code store/key}, so migration, validation, dual-write and repair cover them like every other kind. The
 * name and every key are checked here, before any I/O.
 */
public final class RecordKeyValueStore implements KeyValueStore {
  private final RecordStore<KeyValueEntry> records;
  private final String name;

  public RecordKeyValueStore(RecordStore<KeyValueEntry> records, String name) {
    this.records = records;
    this.name = StoreNames.check(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<JsonObject> get(String key) {
    return records.get(recordKey(key)).map(e -> e == null ? null : e.value().copy());
  }

  @Override
  public Future<Void> put(String key, JsonObject value) {
    return records.put(new KeyValueEntry(name, KeyValueStore.checkKey(key), value == null ? null : value.copy(), null));
  }

  @Override
  public Future<Boolean> delete(String key) {
    return records.delete(recordKey(key));
  }

  @Override
  public Future<List<Entry>> list(String prefix, String afterKey, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    String after = afterKey == null ? null : recordKey(afterKey);
    return records.scan(KeyValueEntry.recordKey(name, prefix == null ? "" : prefix), after, limit)
        .map(found -> found.stream().map(e -> new Entry(e.key(), e.value().copy())).toList());
  }

  private String recordKey(String key) {
    return KeyValueEntry.recordKey(name, KeyValueStore.checkKey(key));
  }
}
