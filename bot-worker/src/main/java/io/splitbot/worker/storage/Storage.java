package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kind;
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
   * A bot's named key-value store in this backend. Names are 1-64 of a-z, 0-9, _ and -; the runtime's own stores
   * (sessions) use names with a dot, which a bot cannot give.
   */
  default io.splitbot.worker.bot.KeyValueStore keyValue(String name) {
    throw new IllegalStateException("the " + backend() + " backend has no key-value store yet");
  }

  /** Kind-generic access for migration, validation and repair. */
  <T> RecordStore<T> records(Kind<T> kind);

  /** A quick round trip to the backend: {"backend":..., "ok":true|false, ...}. */
  Future<JsonObject> health();
}
