package io.splitbot.shared.telegram;

import io.splitbot.shared.http.ApiCallException;
import io.splitbot.shared.retry.OutcomeUnknown;
import io.splitbot.shared.retry.RetryLater;

/**
 * A Bot API call that failed for good: Telegram's answer ({@code error_code}, {@code description}) or, with
 * error code 0, a network error. The message never holds the token or a URL with it.
 */
public class BotApiException extends ApiCallException {

  public BotApiException(String method, int errorCode, String description, int retryAfterSeconds) {
    super("Bot API", method, errorCode, null, description, retryAfterSeconds);
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
