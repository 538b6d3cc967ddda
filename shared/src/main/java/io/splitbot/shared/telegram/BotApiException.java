package io.splitbot.shared.telegram;

import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.retry.OutcomeUnknown;
import io.splitbot.shared.retry.RetryLater;

/**
 * A Bot API call that failed for good: Telegram's answer ({@code error_code}, {@code description}) or, with
 * error code 0, a network error. The message never holds the token or a URL with it.
 */
public class BotApiException extends RuntimeException {
  private final String method;
  private final int errorCode;
  private final String description;
  private final int retryAfterSeconds;

  public BotApiException(String method, int errorCode, String description, int retryAfterSeconds) {
    super(message(method, errorCode, description));
    this.method = method;
    this.errorCode = errorCode;
    this.description = Redactor.mask(description);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  private static String message(String method, int errorCode, String description) {
    return Redactor.mask("Bot API " + method + " failed: " + (errorCode != 0 ? errorCode + " " : "") + description);
  }

  /** The Bot API method, e.g. {@code sendMessage}. */
  public String method() {
    return method;
  }

  /** Telegram's {@code error_code} (usually the HTTP status); 0 for a network error or a closed client. */
  public int errorCode() {
    return errorCode;
  }

  /** Telegram's {@code description}, e.g. {@code Bad Request: chat not found}. */
  public String description() {
    return description;
  }

  /** {@code parameters.retry_after} of the last answer, 0 if none. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /**
   * Telegram asked to wait longer than {@code TELEGRAM_MAX_RETRY_AFTER}: rather than hold the chat, the call fails
   * and the update is tried again later, without spending a handler attempt.
   */
  public static final class RateLimited extends BotApiException implements RetryLater {
    public RateLimited(String method, String description, int retryAfterSeconds) {
      super(method, 429, description, retryAfterSeconds);
    }
  }

  /** The request left and no answer came back (a timeout, a reset): Telegram may have carried it out. */
  public static final class Unanswered extends BotApiException implements OutcomeUnknown {
    public Unanswered(String method, String description) {
      super(method, 0, description, 0);
    }
  }
}
