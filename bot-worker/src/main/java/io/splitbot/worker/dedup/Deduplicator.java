package io.splitbot.worker.dedup;

import io.vertx.core.Future;

/**
 * Remembers which updates (by their key) have been handled, for the dedup window (24 h by default), so that redelivery from
 * Telegram, the spool or polling after a crash runs nothing twice. It survives a worker restart.
 */
public interface Deduplicator {

  Future<Boolean> isHandled(String updateKey);

  /** Records the update as handled; completes once that is durable. */
  Future<Void> markHandled(String updateKey);

  Future<Void> close();
}
