package io.splitbot.shared.telegram;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.http.OutgoingThrottle;
import io.splitbot.shared.http.RateGate;
import io.splitbot.shared.http.RetryingApiCalls;
import io.splitbot.shared.log.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * The one way to call the Telegram Bot API: {@code POST {apiUrl}/bot{token}/{method}} with a JSON body.
 *
 * <p>Failures (the rules of {@link RetryingApiCalls}): a 429 waits {@code retry_after} and resends (up to
 * {@value RetryingApiCalls#MAX_RATE_LIMIT_RETRIES} times), unless {@code retry_after} is longer than
 * {@code TELEGRAM_MAX_RETRY_AFTER}: then the call fails at once with {@link BotApiException.RateLimited}, and so does
 * every call for that chat until the wait is over. Telegram's own answer that the call was not done (a 5xx with an
 * {@code ok:false} body) and a connection that could not be made resend with exponential backoff and jitter. A
 * request that left and got no answer (a timeout, a reset, a 5xx that is not Telegram's) may have been carried out: it
 * fails with {@link BotApiException.Unanswered} and is never resent, unless its method only reads or sets a value
 * (getUpdates, getMe, setWebhook, ...). Any other error fails at once. Every failure is a {@link BotApiException}.
 *
 * <p>Methods that post into a chat go through {@link OutgoingThrottle}: they respect the flood limits, and calls
 * for one {@code chat_id} reach Telegram in the order they were made, each one only after the previous one has
 * finished, retries included. Futures complete on the caller's Vert.x context when there is one.
 *
 * <p>The token lives only in the request URL; no log line, exception or {@code toString} carries it.
 */
public final class BotApiClient {
  private final String token;
  private final String methodBase;
  private final RetryingApiCalls calls;

  /** Counts the flood limits in this process: right for a process that is the bot's only sender. */
  public BotApiClient(Vertx vertx, SplitbotConfig.Telegram telegram) {
    this(vertx, telegram, RateGate.Factory.LOCAL);
  }

  /** {@code gates} says where the flood limits are counted: here, or in Redis for all workers of the bot. */
  public BotApiClient(Vertx vertx, SplitbotConfig.Telegram telegram, RateGate.Factory gates) {
    Objects.requireNonNull(vertx, "vertx");
    if (telegram == null || !telegram.hasToken()) {
      throw new IllegalArgumentException("TELEGRAM_BOT_TOKEN is not set");
    }
    this.token = telegram.token();
    String base = telegram.apiUrl().endsWith("/")
        ? telegram.apiUrl().substring(0, telegram.apiUrl().length() - 1)
        : telegram.apiUrl();
    this.methodBase = base + "/bot" + token + "/";
    OutgoingThrottle.Limits limits =
        OutgoingThrottle.Limits.flood(telegram.globalPerSecond(), telegram.chatPerSecond(), telegram.groupPerMinute());
    RateGate gate = gates.create(vertx, limits, RateGate.botName("telegram", token));
    this.calls = new RetryingApiCalls(vertx, new TelegramProtocol(token, methodBase), new RetryingApiCalls.Settings(
        limits, telegram.maxRetryAfterSeconds(), "TELEGRAM_MAX_RETRY_AFTER", LoggerFactory.getLogger(BotApiClient.class)),
        gate);
  }

  /** Calls {base}/bot{token}/{method} with a JSON body; resolves to the "result" value (JsonObject, JsonArray, Boolean, ...). */
  public Future<Object> call(String method, JsonObject params) {
    return call(method, params, AttemptGuard.NONE);
  }

  /** As {@link #call(String, JsonObject)}, with {@code guard} told of every HTTP attempt (see {@link AttemptGuard}). */
  public Future<Object> call(String method, JsonObject params, AttemptGuard guard) {
    return calls.call(method, params, guard);
  }

  public Future<JsonObject> getMe() {
    return calls.typed(JsonObject.class, "getMe", call("getMe", null));
  }

  /**
   * Long polling. The HTTP timeout is {@code timeoutSeconds} + 15 s. A 409 (a webhook is set, or another poller
   * is running) fails at once with error code 409, so the poller can say so in one line.
   */
  public Future<JsonArray> getUpdates(long offset, int timeoutSeconds, List<String> allowedUpdates) {
    JsonObject params = new JsonObject().put("offset", offset).put("timeout", timeoutSeconds);
    if (allowedUpdates != null) {
      params.put("allowed_updates", new JsonArray(List.copyOf(allowedUpdates)));
    }
    return calls.typed(JsonArray.class, "getUpdates", call("getUpdates", params));
  }

  public Future<Void> deleteWebhook(boolean dropPendingUpdates) {
    return call("deleteWebhook", new JsonObject().put("drop_pending_updates", dropPendingUpdates)).mapEmpty();
  }

  /** {@code secretToken}, {@code allowedUpdates} may be null and {@code maxConnections} 0 to use Telegram's defaults. */
  public Future<Void> setWebhook(String url, String secretToken, List<String> allowedUpdates, int maxConnections) {
    JsonObject params = new JsonObject().put("url", url);
    if (secretToken != null) {
      params.put("secret_token", secretToken);
    }
    if (allowedUpdates != null) {
      params.put("allowed_updates", new JsonArray(List.copyOf(allowedUpdates)));
    }
    if (maxConnections > 0) {
      params.put("max_connections", maxConnections);
    }
    return call("setWebhook", params).mapEmpty();
  }

  /** {@code extra} may be null; it carries the other parameters: reply_markup, parse_mode, ... */
  public Future<JsonObject> sendMessage(String chatId, String text, JsonObject extra) {
    JsonObject params = extra == null ? new JsonObject() : extra.copy();
    params.put("chat_id", chatId).put("text", text);
    return calls.typed(JsonObject.class, "sendMessage", call("sendMessage", params));
  }

  /** Tells {@code listener} of every HTTP attempt and its result (metrics). */
  public BotApiClient listener(BotApiListener listener) {
    calls.listener(listener);
    return this;
  }

  /** Count of 429 answers seen, retried or not. */
  public long calls429() {
    return calls.calls429();
  }

  /** Fails calls still waiting for the throttle and closes the connections. */
  public void close() {
    calls.close();
  }

  @Override
  public String toString() {
    return "BotApiClient[" + Redactor.mask(methodBase.replace(token, "***")) + "]";
  }
}
