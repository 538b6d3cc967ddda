package io.splitbot.worker.storage;

/**
 * The backend could not be reached or answered with a transient failure (connection refused or lost, 5xx, rate
 * limit exhausted, disk error). Nothing of the failed operation was applied when it was transactional; it is safe
 * to retry once the backend is back. Dual storage falls back to the other side only on this exception.
 */
public class StorageUnavailableException extends StorageException {
  public StorageUnavailableException(String message) {
    super(message);
  }

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
