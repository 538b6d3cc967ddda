package io.splitbot.shared.platform.max;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.http.ApiProtocol;
import io.splitbot.shared.http.OutgoingThrottle;
import io.splitbot.shared.http.RateGate;
import io.splitbot.shared.http.RetryingApiCalls;
import io.splitbot.shared.telegram.AttemptGuard;
import io.splitbot.shared.telegram.BotApiListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;

/**
 * The one way to call the MAX messenger API ({@code MAX_API_URL}, by default {@value SplitbotConfig#DEFAULT_MAX_API_URL}).
 * A call is {@code "<VERB> <path>"} with params {@code {"query": {...}, "body": {...}}}, so a handler reaches any MAX
 * endpoint and the worker's effect ledger records it like any other; the typed helpers cover what a bot needs most.
 *
 * <p>Limits and failures follow {@link RetryingApiCalls}, as for Telegram: every request waits for the throttle (30
 * per second by default, {@code MAX_GLOBAL_RATE}, evenly spaced: MAX counts requests per second); a 429 is resent after a backoff from 1 s (MAX names no wait), a 5xx
 * in MAX's error shape after a backoff from 200 ms; a request whose answer was lost fails as
 * {@link MaxApiException.Unanswered} unless it only reads, edits or deletes. Any other 4xx fails at once with MAX's
 * code and message ({@link MaxApiException#errorKey()}, {@link MaxApiException#description()}). A call that breaks a
 * documented rule, such as a text over 4000 characters, fails with {@link MaxApiException.NotSent} and sends nothing.
 *
 * <p>The token goes only in the Authorization header: no URL, log line, exception or {@code toString} carries it.
 */
public final class MaxApiClient {
  /** The most characters MAX takes in one message's text. */
  public static final int TEXT_LIMIT = MaxCall.TEXT_LIMIT;
  /** A 429 that asks for a longer wait than this fails the call as {@link MaxApiException.RateLimited}. */
  private static final int MAX_RETRY_AFTER_SECONDS = 60;

  private final String base;
  private final RetryingApiCalls calls;

  /** Counts the rate limit in this process: right for a process that is the bot's only sender. */
  public MaxApiClient(Vertx vertx, SplitbotConfig.Max max) {
    this(vertx, max, RateGate.Factory.LOCAL);
  }

  /** {@code gates} says where the rate limit is counted: here, or in Redis for all workers of the bot. */
  public MaxApiClient(Vertx vertx, SplitbotConfig.Max max, RateGate.Factory gates) {
    this(vertx, max, gates, ApiProtocol.REQUEST_TIMEOUT_MS);
  }

  /** {@code requestTimeoutMs}: how long an attempt (other than a long poll) waits for its answer. */
  MaxApiClient(Vertx vertx, SplitbotConfig.Max max, RateGate.Factory gates, long requestTimeoutMs) {
    Objects.requireNonNull(vertx, "vertx");
    if (max == null || !max.enabled()) {
      throw new IllegalArgumentException("MAX_BOT_TOKEN is not set");
    }
    this.base = max.apiUrl().endsWith("/") ? max.apiUrl().substring(0, max.apiUrl().length() - 1) : max.apiUrl();
    OutgoingThrottle.Limits limits = OutgoingThrottle.Limits.evenly(max.globalPerSecond());
    this.calls = new RetryingApiCalls(vertx, new MaxProtocol(max.token(), base, requestTimeoutMs), new RetryingApiCalls.Settings(
        limits, MAX_RETRY_AFTER_SECONDS, "the MAX client's cap", LoggerFactory.getLogger(MaxApiClient.class)),
        gates.create(vertx, limits, RateGate.botName("max", max.token())));
  }

  /** Whom a new message goes to: a chat (group, channel or dialog) by chat_id, or a user by user_id. */
  public record Recipient(String param, long id) {
    public static Recipient chat(long chatId) {
      return new Recipient("chat_id", chatId);
    }

    public static Recipient user(long userId) {
      return new Recipient("user_id", userId);
    }
  }

  /** One page of GET /updates: the updates, and the marker to pass next time (null when MAX gave none). */
  public record Updates(JsonArray updates, Long marker) {
  }

  /** {@code method} is {@code "<VERB> <path>"}; resolves to MAX's answer (a JsonObject). */
  public Future<Object> call(String method, JsonObject params) {
    return call(method, params, AttemptGuard.NONE);
  }

  /** As {@link #call(String, JsonObject)}, with {@code guard} told of every HTTP attempt (see {@link AttemptGuard}). */
  public Future<Object> call(String method, JsonObject params, AttemptGuard guard) {
    try {
      MaxCall.parse(method, params);
    } catch (MaxApiException.NotSent refused) {
      return Future.failedFuture(refused);
    }
    return calls.call(method, params, guard);
  }

  /** POST /messages with text and attachments ({@code attachments} may be null); resolves to the sent message. */
  public Future<JsonObject> sendMessage(Recipient to, String text, JsonArray attachments) {
    JsonObject body = new JsonObject().put("text", text);
    if (attachments != null) {
      body.put("attachments", attachments.copy());
    }
    return sendMessage(to, body);
  }

  /** POST /messages with a whole NewMessageBody ({@code text}, {@code attachments}, {@code format}, {@code notify}, {@code link}). */
  public Future<JsonObject> sendMessage(Recipient to, JsonObject body) {
    Objects.requireNonNull(to, "to");
    JsonObject params = new JsonObject()
        .put("query", new JsonObject().put(to.param(), to.id()))
        .put("body", body == null ? new JsonObject() : body.copy());
    return calls.typed(JsonObject.class, "POST /messages", call("POST /messages", params)
        .map(answer -> ((JsonObject) answer).getValue("message")));
  }

  /**
   * PUT /messages: new text, and new attachments ({@code null} keeps the current ones, an empty array removes them).
   */
  public Future<Void> editMessage(String mid, String text, JsonArray attachments) {
    JsonObject body = new JsonObject().put("text", text);
    if (attachments != null) {
      body.put("attachments", attachments.copy());
    }
    return call("PUT /messages", new JsonObject().put("query", new JsonObject().put("message_id", mid)).put("body", body))
        .mapEmpty();
  }

  /**
   * POST /answers after a button press: a one-time {@code notification} to the user, a new {@code message} (a
   * NewMessageBody) in place of the one with the button, or both; at least one of the two.
   */
  public Future<Void> answerCallback(String callbackId, String notification, JsonObject message) {
    String method = "POST /answers";
    if (callbackId == null || callbackId.isBlank()) {
      return Future.failedFuture(new MaxApiException.NotSent(method, "callbackId is required"));
    }
    if (notification == null && message == null) {
      return Future.failedFuture(new MaxApiException.NotSent(method, "an answer needs a notification, a message or both"));
    }
    JsonObject body = new JsonObject();
    if (notification != null) {
      body.put("notification", notification);
    }
    if (message != null) {
      body.put("message", message.copy());
    }
    return call(method, new JsonObject().put("query", new JsonObject().put("callback_id", callbackId)).put("body", body))
        .mapEmpty();
  }

  /** GET /me: the bot's own user (user_id, name, username, ...). */
  public Future<JsonObject> getMe() {
    return calls.typed(JsonObject.class, "GET /me", call("GET /me", null));
  }

  /**
   * POST /subscriptions: MAX posts updates to {@code url} (https only), with {@code secret} (5 to 256 of A-Z, a-z,
   * 0-9, _ and -) in the X-Max-Bot-Api-Secret header. {@code updateTypes} and {@code secret} may be null.
   */
  public Future<Void> subscribe(String url, List<String> updateTypes, String secret) {
    String method = "POST /subscriptions";
    if (url == null || !url.startsWith("https://")) {
      return Future.failedFuture(new MaxApiException.NotSent(method, "url must be an https URL: MAX posts webhooks only over HTTPS"));
    }
    if (secret != null && !secret.matches("[A-Za-z0-9_-]{5,256}")) {
      return Future.failedFuture(new MaxApiException.NotSent(method,
          "secret may hold only A-Z, a-z, 0-9, _ and -, 5 to 256 characters (MAX's rule)"));
    }
    JsonObject body = new JsonObject().put("url", url);
    if (updateTypes != null) {
      body.put("update_types", new JsonArray(List.copyOf(updateTypes)));
    }
    if (secret != null) {
      body.put("secret", secret);
    }
    return call(method, new JsonObject().put("body", body)).mapEmpty();
  }

  /** GET /subscriptions: the webhook subscriptions ({url, time, update_types}). */
  public Future<JsonArray> subscriptions() {
    return calls.typed(JsonArray.class, "GET /subscriptions", call("GET /subscriptions", null)
        .map(answer -> ((JsonObject) answer).getValue("subscriptions")));
  }

  /** DELETE /subscriptions: MAX stops posting to {@code url}. */
  public Future<Void> unsubscribe(String url) {
    return call("DELETE /subscriptions", new JsonObject().put("query", new JsonObject().put("url", url))).mapEmpty();
  }

  /**
   * GET /updates, long polling for up to {@code timeoutSeconds} (0 to 90). {@code marker} null asks for what was not
   * yet fetched; passing a marker confirms everything before it. {@code types} may be null for all.
   */
  public Future<Updates> getUpdates(Long marker, int timeoutSeconds, int limit, List<String> types) {
    String method = "GET /updates";
    if (timeoutSeconds < 0 || timeoutSeconds > 90) {
      return Future.failedFuture(new MaxApiException.NotSent(method, "timeoutSeconds must be between 0 and 90, got " + timeoutSeconds));
    }
    if (limit < 1 || limit > 1000) {
      return Future.failedFuture(new MaxApiException.NotSent(method, "limit must be between 1 and 1000, got " + limit));
    }
    JsonObject query = new JsonObject().put("timeout", timeoutSeconds).put("limit", limit);
    if (marker != null) {
      query.put("marker", marker);
    }
    if (types != null && !types.isEmpty()) {
      query.put("types", new JsonArray(List.copyOf(types)));
    }
    return calls.typed(JsonObject.class, method, call(method, new JsonObject().put("query", query)))
        .compose(page -> page.getValue("updates") instanceof JsonArray updates
            ? Future.succeededFuture(new Updates(updates, page.getValue("marker") instanceof Number n ? n.longValue() : null))
            : Future.failedFuture(new MaxApiException(method, 0, null, "the answer has no updates list", 0)));
  }

  /** Tells {@code listener} of every HTTP attempt and its result (metrics). */
  public MaxApiClient listener(BotApiListener listener) {
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
    return "MaxApiClient[" + calls.scrub(base) + "]";
  }
}
