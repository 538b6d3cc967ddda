package io.splitbot.shared.retry;

/**
 * A call that may have had its effect although it failed: the request left and its answer was lost (a timeout, a
 * reset). It is never repeated automatically; the effect ledger keeps it "begun", so a later attempt at the same
 * update does not send it again either.
 */
public interface OutcomeUnknown {

  /** True when {@code failure}, or any exception it wraps, is of unknown outcome. */
  static boolean in(Throwable failure) {
    return Causes.anyIs(failure, OutcomeUnknown.class);
  }
}
