package io.splitbot.shared.redis;

import io.splitbot.shared.retry.RetryLater;

/**
 * Redis did not answer in time, or could not be reached: a store outage, so an update that meets it is tried again
 * later instead of spending a handler attempt. A Redis error reply (WRONGTYPE, NOSCRIPT, ...) is not one: Redis
 * answered, and it stays a failure of its own.
 */
public final class RedisUnavailableException extends RuntimeException implements RetryLater {
  RedisUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
