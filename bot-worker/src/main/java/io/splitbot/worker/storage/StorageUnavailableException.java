package io.splitbot.worker.storage;

import io.splitbot.shared.retry.RetryLater;

/**
 * The backend could not be reached or answered with a transient failure (connection refused or lost, 5xx, rate
 * limit exhausted, disk error). Nothing of the failed operation was applied when it was transactional; it is safe
 * to retry once the backend is back. Dual storage falls back to the other side only on this exception. It is a
 * {@link RetryLater}: an update whose handler meets it is retried later, not dead-lettered.
 */
public class StorageUnavailableException extends StorageException implements RetryLater {
  public StorageUnavailableException(String message) {
    super(message);
  }

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
