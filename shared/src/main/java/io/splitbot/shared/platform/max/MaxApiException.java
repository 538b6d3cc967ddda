package io.splitbot.shared.platform.max;

import io.splitbot.shared.http.ApiCallException;
import io.splitbot.shared.retry.OutcomeUnknown;
import io.splitbot.shared.retry.RetryLater;

/**
 * A MAX API call that failed for good. {@link #errorCode()} is the HTTP status (0 when no answer came or nothing was
 * sent), {@link #errorKey()} MAX's own error code ({@code verify.token}, {@code too.many.requests}, ...) and
 * {@link #description()} its message. The message never holds the token.
 */
public class MaxApiException extends ApiCallException {
  private final String errorKey;

  public MaxApiException(String method, int status, String errorKey, String description, int retryAfterSeconds) {
    super("MAX API", method, status, errorKey, description, retryAfterSeconds);
    this.errorKey = errorKey;
  }

  /** MAX's error code from the answer's {@code code} field, or null when the answer had none. */
  public String errorKey() {
    return errorKey;
  }

  /** MAX asked to wait longer than the client holds a call: the update is tried again later. */
  public static final class RateLimited extends MaxApiException implements RetryLater {
    public RateLimited(String method, String description, int retryAfterSeconds) {
      super(method, 429, null, description, retryAfterSeconds);
    }
  }

  /** The request left and no answer came back (a timeout, a reset): MAX may have carried it out. */
  public static final class Unanswered extends MaxApiException implements OutcomeUnknown {
    public Unanswered(String method, String description) {
      super(method, 0, null, description, 0);
    }
  }

  /**
   * Refused before anything was sent: the call breaks one of MAX's documented rules (a text over 4000 characters, a
   * message with both chat_id and user_id, a method that is not {@code VERB /path}). Sending it again cannot help.
   */
  public static final class NotSent extends MaxApiException {
    public NotSent(String method, String description) {
      super(method, 0, null, description + " (nothing was sent)", 0);
    }
  }
}
