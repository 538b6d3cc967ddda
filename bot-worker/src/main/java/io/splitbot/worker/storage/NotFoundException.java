package io.splitbot.worker.storage;

/** No record with that key. */
public class NotFoundException extends StorageException {
  public NotFoundException(String kind, String key) {
    super(kind + " " + key + " not found");
  }
}
