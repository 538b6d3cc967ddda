package io.splitbot.shared.retry;

/**
 * The one signal for "not now: try this update again later". Implemented by the exceptions that say a store the bot
 * relies on is down (its storage, Redis, the runtime's own stores) and by a Bot API rate limit longer than the
 * client waits for. The pipeline then answers the edge "retry later" without spending a handler attempt, so an
 * outage never dead-letters an update. Anything else a handler fails with is a handler failure.
 */
public interface RetryLater {

  /** True when {@code failure}, or any exception it wraps, says "retry later". */
  static boolean in(Throwable failure) {
    return Causes.anyIs(failure, RetryLater.class);
  }
}
