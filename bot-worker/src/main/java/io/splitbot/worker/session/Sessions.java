package io.splitbot.worker.session;

import io.splitbot.shared.retry.RetryLater;
import io.splitbot.shared.store.StoreUnavailableException;
import io.splitbot.worker.bot.KeyValueStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Per-chat sessions in a key-value store. Each saved session carries the update that wrote it: that update has been
 * handled, even when the worker died before it could mark it so, and it is not run again. A session is written only
 * after a handler succeeded, so a failed attempt leaves no trace in it.
 */
public final class Sessions {
  /** The runtime's store name (a dot, so no bot's store can take it). */
  public static final String STORE = "splitbot.sessions";

  private final KeyValueStore store;

  public Sessions(KeyValueStore store) {
    this.store = store;
  }

  /**
   * A chat's session as loaded: its key (null for one that is not kept), its data, and the update that last changed
   * it (null when none did).
   */
  public record Loaded(String key, JsonObject data, String writtenBy) {
    public boolean writtenBy(String updateKey) {
      return updateKey.equals(writtenBy);
    }
  }

  /** Sessions are per chat; an update that belongs to no chat gets an empty one that is never kept. */
  public static boolean kept(String chatKey) {
    return !chatKey.startsWith("update:");
  }

  public Future<Loaded> load(String platform, String chatKey) {
    if (!kept(chatKey)) {
      return Future.succeededFuture(new Loaded(null, new JsonObject(), null));
    }
    String key = platform + "/" + chatKey;
    return unavailableOnFailure(store.get(key)).map(stored -> stored == null
        ? new Loaded(key, new JsonObject(), null)
        : new Loaded(key, stored.getJsonObject("data", new JsonObject()), stored.getString("written_by")));
  }

  /** Saves what the handler left in the session, with the update that wrote it; nothing when it did not change it. */
  public Future<Void> save(Loaded before, JsonObject after, String updateKey) {
    if (before.key() == null || before.data().equals(after)) {
      return Future.succeededFuture();
    }
    JsonObject stored = new JsonObject().put("data", after).put("written_by", updateKey);
    return unavailableOnFailure(store.put(before.key(), stored));
  }

  /** The session store being down is an outage, retried later, never a failure of the bot's handler. */
  private static <T> Future<T> unavailableOnFailure(Future<T> f) {
    return f.recover(e -> Future.failedFuture(RetryLater.in(e) ? e : new StoreUnavailableException("sessions", e)));
  }
}
