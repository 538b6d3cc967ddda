package io.splitbot.worker.storage.airtable;

import io.splitbot.worker.storage.StorageException;

/** Airtable refused a request: the HTTP status, Airtable's error type and its message. */
public final class AirtableException extends StorageException {
  private final int status;
  private final String type;

  public AirtableException(int status, String type, String message) {
    super(message);
    this.status = status;
    this.type = type;
  }

  public int status() {
    return status;
  }

  /** Airtable's error type, e.g. INVALID_REQUEST_UNKNOWN, NOT_FOUND; "UNKNOWN" when the body had none. */
  public String type() {
    return type;
  }
}
