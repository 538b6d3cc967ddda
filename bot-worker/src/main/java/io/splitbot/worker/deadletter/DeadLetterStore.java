package io.splitbot.worker.deadletter;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where poison updates wait, visible, until someone replays or drops them. A replay is a request kept in the
 * store, so the CLI can ask for one while the worker runs (or before it starts) and the worker carries it out.
 */
public interface DeadLetterStore {

  /** Stores or replaces the dead letter for its update_id; completes once durable. */
  Future<Void> put(DeadLetter letter);

  /** All dead letters, oldest update first. */
  Future<List<DeadLetter>> list();

  /** The dead letter for this update, or null. */
  Future<DeadLetter> get(long updateId);

  /** Removes it; false when there was none. */
  Future<Boolean> remove(long updateId);

  /** Marks it for replay; false when there is no such dead letter. */
  default Future<Boolean> requestReplay(long updateId) {
    return get(updateId).compose(letter -> letter == null
        ? Future.succeededFuture(false)
        : put(letter.withReplayRequested()).map(true));
  }

  Future<Void> close();
}
