package io.splitbot.shared.store;

import io.splitbot.shared.retry.RetryLater;

/** One of the runtime's own stores (dedup, effect ledger, dead letters, Redis) failed; the update is retried later. */
public final class StoreUnavailableException extends RuntimeException implements RetryLater {
  public StoreUnavailableException(String store, Throwable cause) {
    super(store + " unavailable: " + cause.getMessage(), cause);
  }
}
