package io.splitbot.worker.storage;

/** A storage operation failed. Messages never carry secrets (URLs are masked, tokens never included). */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
