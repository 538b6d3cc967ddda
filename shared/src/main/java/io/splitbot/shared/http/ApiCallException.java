package io.splitbot.shared.http;

import io.splitbot.shared.log.Redactor;

/**
 * A call to a platform's HTTP API that failed for good: the platform's answer (its error code, mostly the HTTP status,
 * and description) or, with error code 0, no answer at all (a network error, a closed client, a request refused before
 * it was sent). Each platform's client throws its own subclass; the message never holds a token.
 */
public class ApiCallException extends RuntimeException {
  private final String method;
  private final int errorCode;
  private final String description;
  private final int retryAfterSeconds;

  /**
   * @param label the API's name in the message, e.g. {@code Bot API}
   * @param detail shown between the code and the description (a platform's error key), or null
   */
  protected ApiCallException(String label, String method, int errorCode, String detail, String description,
      int retryAfterSeconds) {
    super(Redactor.mask(label + " " + method + " failed: " + (errorCode != 0 ? errorCode + " " : "")
        + (detail != null ? detail + ": " : "") + description));
    this.method = method;
    this.errorCode = errorCode;
    this.description = Redactor.mask(description);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The method called, in the platform's own terms: {@code sendMessage}, {@code POST /messages}. */
  public String method() {
    return method;
  }

  /** The platform's error code (usually the HTTP status); 0 when no answer came or nothing was sent. */
  public int errorCode() {
    return errorCode;
  }

  /** What went wrong, in the platform's words when it answered. */
  public String description() {
    return description;
  }

  /** How long the platform asked to wait before the call may be made again, 0 if it did not say. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
