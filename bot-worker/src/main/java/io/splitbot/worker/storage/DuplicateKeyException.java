package io.splitbot.worker.storage;

/** A record with that key already exists (request number, update id, ...). */
public class DuplicateKeyException extends StorageException {
  private final String kind;
  private final String key;

  public DuplicateKeyException(String kind, String key) {
    super(kind + " " + key + " already exists");
    this.kind = kind;
    this.key = key;
  }

  public String kind() {
    return kind;
  }

  public String key() {
    return key;
  }
}
