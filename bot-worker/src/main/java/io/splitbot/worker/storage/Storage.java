package io.splitbot.worker.storage;

import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The bot's data behind one interface. Every method returns a future and never blocks the calling event loop.
 * Obtain one from {@link StorageFactory}; call {@link #start()} before use and {@link #close()} at shutdown.
 */
public interface Storage {
  /** json, postgresql, airtable or dual. */
  String backend();

  /** Connects, applies migrations, loads files. A failure explains what to fix. */
  Future<Void> start();

  Future<Void> close();

  UserRepository users();

  RequestRepository requests();

  CommentRepository comments();

  HistoryRepository history();

  ConversationRepository conversations();

  CounterRepository counters();

  ProcessedUpdateRepository processedUpdates();

  /**
   * A named key-value store in this backend, on the records of {@link Kinds#KEY_VALUE}. Names follow
   * {@link StoreNames}: a bot's are 1-64 of a-z, 0-9, _ and -; the runtime's own stores (sessions) use names with a
   * dot, which a bot cannot give. Throws IllegalArgumentException for a bad name.
   */
  default KeyValueStore keyValue(String name) {
    return new RecordKeyValueStore(records(Kinds.KEY_VALUE), name);
  }

  /** Kind-generic access for migration, validation and repair. */
  <T> RecordStore<T> records(Kind<T> kind);

  /** A quick round trip to the backend: {"backend":..., "ok":true|false, ...}. */
  Future<JsonObject> health();
}
