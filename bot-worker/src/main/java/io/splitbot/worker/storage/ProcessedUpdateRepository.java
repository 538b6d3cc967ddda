package io.splitbot.worker.storage;

import io.vertx.core.Future;
import java.time.Instant;

/** Handled Telegram update ids, guarded by a unique key in every backend. */
public interface ProcessedUpdateRepository {
  /** Records the id; true when it was new, false when it had been handled already. */
  Future<Boolean> markHandled(long updateId);

  Future<Boolean> isHandled(long updateId);

  /** Forgets ids handled before the cutoff; returns how many. */
  Future<Long> purgeHandledBefore(Instant cutoff);
}
