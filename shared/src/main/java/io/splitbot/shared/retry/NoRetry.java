package io.splitbot.shared.retry;

/**
 * A failure that another attempt would meet again exactly: the handler asked for something the platform documents
 * it refuses, such as a button whose callback data is over the limit, and the call was refused before it was sent.
 * The pipeline moves the update to the dead letters at once (with the reason) instead of spending its remaining
 * attempts on the same refusal; once the bot is fixed, the letter can be replayed.
 */
public interface NoRetry {

  /** True when {@code failure}, or any exception it wraps, is one no retry can mend. */
  static boolean in(Throwable failure) {
    return Causes.anyIs(failure, NoRetry.class);
  }
}
