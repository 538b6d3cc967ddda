package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One kind of record in one backend: the generic layer each backend implements once. Scans in key order, reads,
 * writes and deletes by key, and queries; what one change must do to several records at once goes through
 * {@link Storage#apply}. The query methods have an in-memory fallback here; PostgreSQL answers them in SQL, Airtable
 * with a formula.
 */
public interface RecordStore<T> {
  Kind<T> kind();

  /**
   * Up to {@code limit} records whose key starts with {@code prefix} ("" for all; a composite key's prefix names
   * every part but the last in full, as in {@code store/ab}) and comes after {@code afterKey} (null: from the
   * first), in {@link Kind#keyOrder()}.
   */
  Future<List<T>> scan(String prefix, String afterKey, int limit);

  /** The records that exist among the keys. */
  Future<Map<String, T>> getAll(Collection<String> keys);

  /**
   * Inserts or replaces records by key, idempotently. Unless {@code force}, an existing record with a newer
   * {@link Kind#version} is kept (so a backfill never overwrites a newer live write; counters only grow).
   */
  Future<Void> putAll(List<T> records, boolean force);

  Future<Void> deleteAll(Collection<String> keys);

  Future<Long> count();

  /** Up to {@code limit} records with a key after {@code afterKey} (null: from the start), in {@link Kind#keyOrder()}. */
  default Future<List<T>> scan(String afterKey, int limit) {
    return scan("", afterKey, limit);
  }

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

  /** Every record matching the query, in its order. The fallback reads the whole kind. */
  default Future<List<T>> find(Query query) {
    List<T> all = new ArrayList<>();
    String[] after = {null};
    return AsyncLoop.whileTrue(() -> scan(after[0], 1000).map(batch -> {
      all.addAll(batch);
      if (!batch.isEmpty()) {
        after[0] = kind().key(batch.get(batch.size() - 1));
      }
      return batch.size() == 1000;
    })).map(v -> query.apply(kind(), all));
  }

  /** One page of the records matching the query, with their total. */
  default Future<Page<T>> page(Query query, int page, int size) {
    return Page.fetched(page, size, () -> find(query).map(all -> Page.slice(all, page, size)));
  }
}
