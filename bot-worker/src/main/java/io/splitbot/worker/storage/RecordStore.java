package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Raw, kind-generic access to one kind of record in one backend: what migration, validation, repair and the dual
 * repair queue need. Application code uses the typed repositories instead.
 */
public interface RecordStore<T> {
  Kind<T> kind();

  /** Up to {@code limit} records with a key after {@code afterKey} (null: from the start), in {@link Kind#keyOrder()}. */
  default Future<List<T>> scan(String afterKey, int limit) {
    return scan("", afterKey, limit);
  }

  /**
   * Up to {@code limit} records whose key starts with {@code prefix} ("" for all; a composite key's prefix names
   * every part but the last in full, as in {@code store/ab}) and comes after {@code afterKey} (null: from the
   * first), in {@link Kind#keyOrder()}.
   */
  Future<List<T>> scan(String prefix, String afterKey, int limit);

  /** The record, or null. */
  default Future<T> get(String key) {
    return getAll(List.of(key)).map(found -> found.get(key));
  }

  /** Inserts or replaces one record (last writer wins). */
  default Future<Void> put(T record) {
    return putAll(List.of(record), true);
  }

  /** Deletes one record; true when there was one. */
  default Future<Boolean> delete(String key) {
    return get(key).compose(found -> found == null
        ? Future.succeededFuture(false)
        : deleteAll(List.of(key)).map(true));
  }

  /** The records that exist among the keys. */
  Future<Map<String, T>> getAll(Collection<String> keys);

  /**
   * Inserts or replaces records by key, idempotently. Unless {@code force}, an existing record with a newer
   * {@link Kind#version} is kept (so a backfill never overwrites a newer live write; counters only grow).
   */
  Future<Void> putAll(List<T> records, boolean force);

  Future<Void> deleteAll(Collection<String> keys);

  Future<Long> count();
}
