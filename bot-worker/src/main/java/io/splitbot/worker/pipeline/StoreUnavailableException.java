package io.splitbot.worker.pipeline;

/** One of the runtime's own stores (dedup, effect ledger, dead letters) failed; the update is retried later. */
public final class StoreUnavailableException extends RuntimeException {
  public StoreUnavailableException(String store, Throwable cause) {
    super(store + " unavailable: " + cause.getMessage(), cause);
  }
}
