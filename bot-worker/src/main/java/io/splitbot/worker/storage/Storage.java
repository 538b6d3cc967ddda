package io.splitbot.worker.storage;

import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The bot's data behind one generic interface, which each backend (json, postgresql, airtable, dual) implements
 * once: {@link #records(Kind)} for any kind of record, and {@link #apply} for a change to several records at once.
 * The typed stores (users, key-value stores, a module's own repositories) are written once on top.
 * Every method returns a future and never blocks the calling event loop. Obtain one from {@link StorageFactory};
 * call {@link #start()} before use and {@link #close()} at shutdown.
 */
public interface Storage {
  /** json, postgresql, airtable, remote or dual. */
  String backend();

  /** Connects, applies migrations, loads files. A failure explains what to fix. */
  Future<Void> start();

  Future<Void> close();

  /** The records of one kind. */
  <T> RecordStore<T> records(Kind<T> kind);

  /**
   * Reads {@code reads} (locked where the backend can), runs {@code body} on them and applies what it wrote, all or
   * nothing; see {@link Tx}. Fails with what the body threw, or with DuplicateKeyException for an insert whose key
   * exists.
   */
  <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body);

  /** A quick round trip to the backend: {"backend":..., "ok":true|false, ...}. */
  Future<JsonObject> health();

  /** {@link #apply}, for the body's result only. */
  default <R> Future<R> update(List<Tx.Ref> reads, Function<Tx, R> body) {
    return apply(reads, body).map(Tx.Done::result);
  }

  default UserRepository users() {
    return new UserRepository(this);
  }

  /**
   * A named key-value store in this backend, on the records of {@link Kinds#KEY_VALUE}. Names follow
   * {@link StoreNames}: a bot's are 1-64 of a-z, 0-9, _ and -; the runtime's own stores (sessions) use names with a
   * dot, which a bot cannot give. Throws IllegalArgumentException for a bad name.
   */
  default KeyValueStore keyValue(String name) {
    return new RecordKeyValueStore(records(Kinds.KEY_VALUE), name);
  }
}
