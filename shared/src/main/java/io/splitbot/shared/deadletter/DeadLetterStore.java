package io.splitbot.shared.deadletter;

import io.vertx.core.Future;
import java.util.List;

/**
 * Where poison updates wait, visible, until someone replays or drops them. A replay is a request kept in the
 * store, so the CLI can ask for one while the service runs (or before it starts) and the service carries it out.
 * The worker and the edge each have one ({@link DeadLetterOwner}).
 */
public interface DeadLetterStore {

  /** Stores or replaces the dead letter for its update (by the envelope's key); completes once durable. */
  Future<Void> put(DeadLetter letter);

  /** All dead letters, oldest update first. */
  Future<List<DeadLetter>> list();

  /** How many it holds, without reading them. */
  Future<Integer> count();

  /** The dead letter for this update, or null. */
  Future<DeadLetter> get(String updateKey);

  /** Removes it; false when there was none. */
  Future<Boolean> remove(String updateKey);

  /**
   * The keys of the letters marked for replay: an index, so the replayer's scan every few seconds reads only those
   * and never every letter. It may name a letter that is gone or no longer marked; the replayer checks each.
   */
  Future<List<String>> replayRequested();

  /** Marks it for replay; false when there is no such dead letter. */
  default Future<Boolean> requestReplay(String updateKey) {
    return get(updateKey).compose(letter -> letter == null
        ? Future.succeededFuture(false)
        : put(letter.withReplayRequested()).map(true));
  }

  Future<Void> close();
}
