package io.splitbot.worker.storage;

/** A compare-and-set failed: the record is not in the state the caller expected (e.g. status changed meanwhile). */
public class ConflictException extends StorageException {
  public ConflictException(String message) {
    super(message);
  }
}
