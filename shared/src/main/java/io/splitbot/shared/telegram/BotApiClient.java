package io.splitbot.shared.telegram;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.log.LogContext;
import io.splitbot.shared.log.Redactor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way to call the Telegram Bot API: {@code POST {apiUrl}/bot{token}/{method}} with a JSON body.
 *
 * <p>Failures: a 429 waits {@code retry_after} and resends (up to {@value #MAX_RATE_LIMIT_RETRIES} times), unless
 * {@code retry_after} is longer than {@code TELEGRAM_MAX_RETRY_AFTER}: then the call fails at once with
 * {@link BotApiException.RateLimited}, and so does every call for that chat until the wait is over, so neither a
 * connection nor another chat waits on it. Telegram's own answer that the call was not done (a 5xx with an
 * {@code ok:false} body) and a connection that could not be made resend with exponential backoff and jitter (at most
 * {@value #MAX_TRANSIENT_ATTEMPTS} attempts). A request that left and got no answer (a timeout, a reset, a 5xx that
 * is not Telegram's) may have been carried out: it fails with {@link BotApiException.Unanswered} and is never
 * resent, unless its method only reads or sets a value (getUpdates, getMe, setWebhook, ...). Any other error fails
 * at once. Every failure is a {@link BotApiException}.
 *
 * <p>Methods that post into a chat go through {@link OutgoingThrottle}: they respect the flood limits, and calls
 * for one {@code chat_id} reach Telegram in the order they were made, each one only after the previous one has
 * finished, retries included. Futures complete on the caller's Vert.x context when there is one.
 *
 * <p>The token lives only in the request URL; no log line, exception or {@code toString} carries it.
 */
public final class BotApiClient {
  private static final Logger log = LoggerFactory.getLogger(BotApiClient.class);

  static final int MAX_RATE_LIMIT_RETRIES = 10;
  static final int MAX_TRANSIENT_ATTEMPTS = 6;
  private static final long BACKOFF_BASE_MS = 200;
  private static final long BACKOFF_CAP_MS = 5_000;
  private static final long REQUEST_TIMEOUT_MS = 30_000;
  private static final long LONG_POLL_MARGIN_MS = 15_000;

  private final Vertx vertx;
  private final Context home;
  private final HttpClientAgent client;
  private final OutgoingThrottle throttle;
  private final String token;
  private final String methodBase;
  private final AtomicLong calls429 = new AtomicLong();
  private final long maxRetryAfterSeconds;
  /** Chats Telegram told to wait longer than we hold a call: chat_id → System.nanoTime() when the wait ends. */
  private final Map<String, Long> blockedChats = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile BotApiListener listener = BotApiListener.NONE;
  private volatile boolean closed;

  public BotApiClient(Vertx vertx, SplitbotConfig.Telegram telegram) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    if (telegram == null || !telegram.hasToken()) {
      throw new IllegalArgumentException("TELEGRAM_BOT_TOKEN is not set");
    }
    this.token = telegram.token();
    String base = telegram.apiUrl().endsWith("/")
        ? telegram.apiUrl().substring(0, telegram.apiUrl().length() - 1)
        : telegram.apiUrl();
    this.methodBase = base + "/bot" + token + "/";
    this.maxRetryAfterSeconds = telegram.maxRetryAfterSeconds();
    // Retry timers run here, not on a caller's context that an undeploy could close under a pending call.
    this.home = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setPipelining(false)
            .setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(50));
    this.throttle = new OutgoingThrottle(vertx, telegram.globalPerSecond(), telegram.chatPerSecond(),
        telegram.groupPerMinute());
  }

  /** Calls {base}/bot{token}/{method} with a JSON body; resolves to the "result" value (JsonObject, JsonArray, Boolean, ...). */
  public Future<Object> call(String method, JsonObject params) {
    return call(method, params, AttemptGuard.NONE);
  }

  /** As {@link #call(String, JsonObject)}, with {@code guard} told of every HTTP attempt (see {@link AttemptGuard}). */
  public Future<Object> call(String method, JsonObject params, AttemptGuard guard) {
    Objects.requireNonNull(method, "method");
    Call call = new Call(method, params == null ? new JsonObject() : params.copy(), guard);
    Future<Object> result;
    if (closed) {
      result = Future.failedFuture(closedError(method));
    } else if (OutgoingThrottle.appliesTo(method)) {
      call.throttled = true;
      call.chatKey = chatKey(call.params);
      BotApiException blocked = blocked(call);
      result = blocked != null ? Future.failedFuture(blocked) : throttle.submit(call.chatKey, () -> send(call));
    } else {
      result = send(call);
    }
    return onCallerContext(result.recover(e -> Future.failedFuture(asBotApiException(method, e))));
  }

  public Future<JsonObject> getMe() {
    return typed(JsonObject.class, "getMe", call("getMe", null));
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
    return typed(JsonArray.class, "getUpdates", call("getUpdates", params));
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
    return typed(JsonObject.class, "sendMessage", call("sendMessage", params));
  }

  /** Tells {@code listener} of every HTTP attempt and its result (metrics). */
  public BotApiClient listener(BotApiListener listener) {
    this.listener = listener == null ? BotApiListener.NONE : listener;
    return this;
  }

  /** Count of 429 answers seen, retried or not. */
  public long calls429() {
    return calls429.get();
  }

  /** Fails calls still waiting for the throttle and closes the connections. */
  public void close() {
    closed = true;
    throttle.close();
    client.close();
  }

  @Override
  public String toString() {
    return "BotApiClient[" + Redactor.mask(methodBase.replace(token, "***")) + "]";
  }

  private Future<Object> send(Call call) {
    if (closed) {
      return Future.failedFuture(closedError(call.method));
    }
    long started = System.nanoTime();
    call.left = false;
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(methodBase + call.method)
        .setIdleTimeout(call.timeoutMs)
        .putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "splitbot");
    Buffer body = call.params.toBuffer();
    // The guard runs once a connection is ours, right before the bytes leave: nothing waits between the two.
    return client.request(options)
        .compose(request -> call.guard.beforeAttempt()
            .transform(ready -> {
              if (ready.failed()) {
                request.reset();
                return Future.<Reply>failedFuture(new GuardFailure(ready.cause()));
              }
              call.left = true;
              return request.send(body).compose(response -> response.body().map(b -> new Reply(response, b)));
            }))
        .transform(ar -> {
          if (ar.succeeded()) {
            return onAnswer(call, ar.result(), started);
          }
          if (ar.cause() instanceof GuardFailure failure) {
            return Future.failedFuture(failure.getCause());
          }
          if (!closed) {
            listener.onAttempt(call.method, "network_error", System.nanoTime() - started);
          }
          return onNetworkError(call, ar.cause());
        });
  }

  /** An answer's head and its whole body. */
  private record Reply(HttpClientResponse head, Buffer body) {
    int statusCode() {
      return head.statusCode();
    }

    String statusMessage() {
      return head.statusMessage();
    }

    String getHeader(String name) {
      return head.getHeader(name);
    }
  }

  /** The guard refused the attempt; nothing was sent, and this is not a network error to retry. */
  private static final class GuardFailure extends RuntimeException {
    GuardFailure(Throwable cause) {
      super(cause);
    }
  }

  private Future<Object> onAnswer(Call call, Reply response, long started) {
    JsonObject answer = parse(response);
    int httpStatus = response.statusCode();
    long took = System.nanoTime() - started;
    if (answer != null && Boolean.TRUE.equals(answer.getValue("ok"))) {
      listener.onAttempt(call.method, "ok", took);
      if (log.isDebugEnabled()) {
        log.debug("Bot API {} ok in {} ms", call.method, (System.nanoTime() - started) / 1_000_000);
      }
      return Future.succeededFuture(answer.getValue("result"));
    }
    int status = response.statusCode();
    int code = answer != null && answer.getValue("error_code") instanceof Number n ? n.intValue() : status;
    String description = answer != null && answer.getValue("description") instanceof String s
        ? s
        : "HTTP " + status + " " + response.statusMessage();
    int retryAfter = retryAfter(answer, response);
    BotApiException failure = new BotApiException(call.method, code, scrub(description), retryAfter);
    listener.onAttempt(call.method, code == 429 || httpStatus == 429 ? "rate_limited"
        : httpStatus >= 500 || code >= 500 ? "server_error" : "client_error", took);

    if (code == 429 || status == 429) {
      calls429.incrementAndGet();
      if (retryAfter > maxRetryAfterSeconds) {
        return call.guard.notDelivered().transform(v -> Future.failedFuture(block(call, retryAfter)));
      }
      if (call.rateLimited >= MAX_RATE_LIMIT_RETRIES || closed) {
        log.warn("Bot API {} still rate-limited after {} retries, giving up", call.method, call.rateLimited);
        return call.guard.notDelivered().transform(v -> Future.failedFuture(failure));
      }
      call.rateLimited++;
      int waitSeconds = Math.max(1, retryAfter);
      log.warn("Bot API {} rate-limited (429), retry_after={} s", call.method, waitSeconds);
      return call.guard.notDelivered().compose(v -> resendAfter(call, waitSeconds * 1000L));
    }
    if (answer != null && Boolean.FALSE.equals(answer.getValue("ok")) && (status >= 500 || code >= 500)) {
      return retryTransient(call, failure); // Telegram itself says it did not do it
    }
    if (status >= 500) {
      // A proxy's page, not Telegram's answer: the request may have been carried out behind it.
      return mayHaveActed(call, failure);
    }
    log.debug("Bot API {} failed: {} {}", call.method, code, failure.description());
    return call.guard.notDelivered().transform(v -> Future.failedFuture(failure));
  }

  private Future<Object> onNetworkError(Call call, Throwable cause) {
    if (closed) {
      return Future.failedFuture(closedError(call.method));
    }
    String description = "network error: " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + scrub(cause.getMessage()));
    BotApiException failure = new BotApiException(call.method, 0, description, 0);
    // No connection, nothing sent; after a reset or a timeout Telegram may have acted on the request.
    return call.left ? mayHaveActed(call, failure) : retryTransient(call, failure);
  }

  /** Resends only what is safe to repeat; anything else fails as {@link BotApiException.Unanswered}. */
  private Future<Object> mayHaveActed(Call call, BotApiException failure) {
    if (repeatable(call.method)) {
      return retryTransient(call, failure);
    }
    log.warn("Bot API {} got no answer ({}); it may have been carried out, so it is not sent again",
        call.method, failure.description());
    return Future.failedFuture(new BotApiException.Unanswered(call.method,
        failure.description() + " (no answer; it may have been carried out, so it is not sent again)"));
  }

  /** Methods that only read, or set a value to the same thing again: sending them twice changes nothing. */
  static boolean repeatable(String method) {
    return method.startsWith("get") || REPEATABLE.contains(method);
  }

  private static final java.util.Set<String> REPEATABLE = java.util.Set.of(
      "setWebhook", "deleteWebhook", "setMyCommands", "deleteMyCommands", "setMyName", "setMyDescription",
      "setMyShortDescription", "setChatMenuButton", "setMyDefaultAdministratorRights", "logOut", "close");

  /** Remembers the chat's long wait, so its next calls fail at once instead of asking Telegram again. */
  private BotApiException block(Call call, int retryAfterSeconds) {
    if (call.chatKey != null) {
      blockedChats.put(call.chatKey, System.nanoTime() + retryAfterSeconds * 1_000_000_000L);
    }
    log.warn("Bot API {} rate-limited for {} s, longer than TELEGRAM_MAX_RETRY_AFTER={} s; the update is tried again later",
        call.method, retryAfterSeconds, maxRetryAfterSeconds);
    return new BotApiException.RateLimited(call.method,
        "Too Many Requests: retry after " + retryAfterSeconds + " s, more than TELEGRAM_MAX_RETRY_AFTER", retryAfterSeconds);
  }

  /** The failure for a call to a chat still inside its long wait, or null. */
  private BotApiException blocked(Call call) {
    if (call.chatKey == null) {
      return null;
    }
    Long until = blockedChats.get(call.chatKey);
    if (until == null) {
      return null;
    }
    long left = until - System.nanoTime();
    if (left <= 0) {
      blockedChats.remove(call.chatKey, until);
      return null;
    }
    int seconds = (int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    return new BotApiException.RateLimited(call.method, "Too Many Requests: this chat must wait " + seconds + " s more", seconds);
  }

  private Future<Object> retryTransient(Call call, BotApiException failure) {
    call.transientFailures++;
    if (call.transientFailures >= MAX_TRANSIENT_ATTEMPTS || closed) {
      log.warn("Bot API {} failed after {} attempts: {}", call.method, call.transientFailures, failure.description());
      return Future.failedFuture(failure);
    }
    long delay = backoffMs(call.transientFailures);
    log.warn("Bot API {} attempt {} failed ({}), retrying in {} ms",
        call.method, call.transientFailures, failure.description(), delay);
    return resendAfter(call, delay);
  }

  /** A resend is one more message for Telegram, so a throttled call takes a fresh permit first. */
  private Future<Object> resendAfter(Call call, long delayMs) {
    Promise<Void> waited = Promise.promise();
    home.runOnContext(v -> vertx.setTimer(delayMs, id -> waited.complete()));
    return waited.future()
        .compose(v -> call.throttled ? throttle.permit(call.chatKey) : Future.<Void>succeededFuture())
        // The wait ran on the client's own context: resend under the caller's log fields (its update_id).
        .compose(v -> LogContext.with(call.logFields, () -> send(call)));
  }

  /** 200 ms, 400 ms, 800 ms ... capped at 5 s, each spread by ±25 % so clients do not retry in step. */
  private static long backoffMs(int failures) {
    long base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(failures - 1, 20));
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Math.min(BACKOFF_CAP_MS, Math.round(base * jitter));
  }

  private static JsonObject parse(Reply response) {
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null; // not JSON (an HTML error page from a proxy), or not an object
    }
  }

  private static int retryAfter(JsonObject answer, Reply response) {
    if (answer != null && answer.getValue("parameters") instanceof JsonObject parameters
        && parameters.getValue("retry_after") instanceof Number n) {
      return n.intValue();
    }
    String header = response.getHeader("Retry-After");
    if (header != null) {
      try {
        return Integer.parseInt(header.trim());
      } catch (NumberFormatException ignored) {
        // An HTTP date: fall back to the default wait.
      }
    }
    return 0;
  }

  private static String chatKey(JsonObject params) {
    Object chatId = params.getValue("chat_id");
    return chatId == null ? null : chatId.toString();
  }

  /** Masks the token even if it does not have the usual shape the Redactor looks for. */
  private String scrub(String text) {
    return Redactor.mask(text.replace(token, "***"));
  }

  private BotApiException asBotApiException(String method, Throwable e) {
    if (e instanceof BotApiException bae) {
      return bae;
    }
    if (closed) {
      return closedError(method);
    }
    return new BotApiException(method, 0, scrub(e.getClass().getSimpleName() + ": " + e.getMessage()), 0);
  }

  private static BotApiException closedError(String method) {
    return new BotApiException(method, 0, "client is closed", 0);
  }

  private static <T> Future<T> typed(Class<T> type, String method, Future<Object> result) {
    return result.compose(value -> type.isInstance(value)
        ? Future.succeededFuture(type.cast(value))
        : Future.failedFuture(new BotApiException(method, 0,
            "unexpected result type " + (value == null ? "null" : value.getClass().getSimpleName()), 0)));
  }

  /** Vert.x code expects callbacks on its own context; the throttle and the retries may finish elsewhere. */
  private static <T> Future<T> onCallerContext(Future<T> result) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  /** One logical call and its retry counters. */
  private static final class Call {
    final String method;
    final JsonObject params;
    final long timeoutMs;
    final AttemptGuard guard;
    final Map<String, String> logFields = LogContext.current();
    boolean throttled;
    String chatKey;
    int rateLimited;
    int transientFailures;
    /** The current attempt's bytes may have left (the guard let it go); a failure after that has an unknown outcome. */
    boolean left;

    Call(String method, JsonObject params, AttemptGuard guard) {
      this.method = method;
      this.params = params;
      this.guard = guard;
      long pollSeconds = params.getValue("timeout") instanceof Number n ? n.longValue() : 0;
      this.timeoutMs = method.equals("getUpdates") ? pollSeconds * 1000 + LONG_POLL_MARGIN_MS : REQUEST_TIMEOUT_MS;
    }
  }
}
