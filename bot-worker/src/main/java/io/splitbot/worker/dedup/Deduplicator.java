package io.splitbot.worker.dedup;

import io.splitbot.shared.bus.SpoolFence;
import io.vertx.core.Future;

/**
 * Remembers which updates (by their key) have been handled, for the dedup window (24 h by default), so that redelivery from
 * Telegram, the spool or polling after a crash runs nothing twice. It survives a worker restart.
 *
 * <p>Before an update runs, the worker {@link #claim claims} it: an update handled before is not run again, and one
 * that another worker is running now is not run beside it. A store only one worker uses (the files) has nothing to
 * share, so its claim is the handled check alone; a shared one (Redis) makes the check and the claim one step.
 */
public interface Deduplicator {

  /** What a claim found. */
  enum Claim {
    /** Nobody runs it and it was not handled: this worker runs it now. */
    RUN,
    /** Handled before, within the window. */
    HANDLED,
    /** Another worker is running it now. */
    BUSY,
    /** The forward's spool partition has a newer holder than the edge that sent it: that edge must not send it. */
    STALE
  }

  Future<Boolean> isHandled(String updateKey);

  /**
   * Takes the update for this worker unless it was handled ({@code evenIfHandled}: a replay runs it again) or another
   * worker holds it. A claim lapses unless {@link #renew renewed}, so a worker that dies leaves nothing held for long.
   */
  default Future<Claim> claim(String updateKey, boolean evenIfHandled) {
    if (evenIfHandled) {
      return Future.succeededFuture(Claim.RUN);
    }
    return isHandled(updateKey).map(handled -> handled ? Claim.HANDLED : Claim.RUN);
  }

  /**
   * As {@link #claim(String, boolean)}, and first checks the forward's {@code fence} (null: none) against its spool
   * partition's newest epoch, where the store is shared with the edges (Redis); a file store has no epochs to check.
   */
  default Future<Claim> claim(String updateKey, boolean evenIfHandled, SpoolFence fence) {
    return claim(updateKey, evenIfHandled);
  }

  /** Whether a claim lapses unless renewed (a shared store); a store only this worker uses holds nothing to renew. */
  default boolean claimsLapse() {
    return false;
  }

  /** Keeps this worker's claim alive while its update runs. */
  default Future<Void> renew(String updateKey) {
    return Future.succeededFuture();
  }

  /** Gives the claim up without marking the update handled (it failed for now, and will come again). */
  default Future<Void> release(String updateKey) {
    return Future.succeededFuture();
  }

  /** Records the update as handled, and gives up this worker's claim; completes once that is durable. */
  Future<Void> markHandled(String updateKey);

  Future<Void> close();
}
