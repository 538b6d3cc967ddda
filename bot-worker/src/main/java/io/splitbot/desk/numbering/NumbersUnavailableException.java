package io.splitbot.desk.numbering;

import io.splitbot.shared.retry.RetryLater;

/**
 * No request number now: Redis does not answer and ENABLE_DB_FALLBACK=false forbids the database's. A
 * {@link RetryLater}, so the update that wanted one is tried again later and the internal API answers 503.
 */
public final class NumbersUnavailableException extends RuntimeException implements RetryLater {
  NumbersUnavailableException(Throwable cause) {
    // the cause's text may name the Redis host: it stays in the cause, not in this message
    super("no request number: Redis is unavailable and ENABLE_DB_FALLBACK=false", cause);
  }
}
