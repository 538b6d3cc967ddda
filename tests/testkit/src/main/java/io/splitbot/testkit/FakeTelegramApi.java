package io.splitbot.testkit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A fake Telegram Bot API on a real HTTP server at 127.0.0.1, for end-to-end tests, in-process or for bots in other
 * JVMs (point TELEGRAM_API_URL at {@link #baseUrl()}).
 *
 * <p>It speaks the Bot API's wire format: {@code /bot<token>/<method>}, parameters as JSON, form or query string,
 * answers {@code {"ok":true,"result":...}} or {@code {"ok":false,"error_code":N,"description":...}}. It implements
 * getMe, getUpdates (real long polling and its 409 conflicts), setWebhook, deleteWebhook, getWebhookInfo,
 * sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction,
 * setMyCommands and getMyCommands; other methods answer 404 unless a test supplies them with
 * {@link #respondTo(String, Function)}.
 *
 * <p>It refuses what Telegram refuses in a bot's texts: a message text over 4096 characters ("message is too long"),
 * a caption over 1024 ("message caption is too long"), a callback answer over 200 ("MESSAGE_TOO_LONG"), callback_data
 * outside 1-64 bytes ("BUTTON_DATA_INVALID") and a string that is not valid UTF-8, half a surrogate pair included
 * ("strings must be encoded in UTF-8"); characters are counted in UTF-16 code units, as Telegram counts them.
 *
 * <p>Tests drive it from their own thread: every public method is thread-safe. It records each request, can answer
 * the next calls of a method with injected errors, and can enforce Telegram's flood limits. {@link BotTester} runs a
 * bot against it and talks to it as Telegram's users would.
 */
public final class FakeTelegramApi {

  /**
   * One request as the fake saw it: {@code atNanos} is its arrival ({@link System#nanoTime()}), status 0 if the client
   * left before an answer, and {@code result} what a successful call answered (the sent {@code Message} for
   * sendMessage, {@code true} for most others), null otherwise.
   */
  public record RecordedCall(String method, JsonObject params, long atNanos, int status, Object result) {
    public boolean ok() {
      return status == 200;
    }
  }

  private static final int MAX_TEXT_LENGTH = 4096;
  private static final int MAX_CALLBACK_TEXT_LENGTH = 200;
  private static final int MAX_CAPTION_LENGTH = 1024;
  private static final int MAX_CALLBACK_DATA_BYTES = 64;
  private static final Pattern SECRET_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern CHAT_ID = Pattern.compile("-?\\d+|@[A-Za-z0-9_]{4,}");
  private static final Set<String> METHODS = Set.of(
      "getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "sendMessage", "editMessageText",
      "editMessageReplyMarkup", "deleteMessage", "answerCallbackQuery", "sendChatAction", "setMyCommands",
      "getMyCommands");
  // Telegram takes these as JSON-serialized strings in forms and query strings.
  private static final Set<String> JSON_PARAMS = Set.of(
      "reply_markup", "allowed_updates", "entities", "commands", "link_preview_options", "reply_parameters", "scope");

  private final Vertx vertx;
  private final String token;
  private final JsonObject botUser;
  private volatile HttpServer server;

  // All state below is guarded by this object's monitor.
  private final List<RecordedCall> calls = new ArrayList<>();
  private final List<Long> offsetsSeen = new ArrayList<>();
  private final TreeMap<Long, JsonObject> updates = new TreeMap<>();
  private final Map<String, ChatState> chats = new HashMap<>();
  private final Map<String, JsonObject> inlineMessages = new HashMap<>();
  private final Map<String, ArrayDeque<Injected>> injected = new HashMap<>();
  private final Map<String, Function<JsonObject, Object>> custom = new HashMap<>();
  private Exchange parkedPoll;
  private long parkedPollTimer;
  private JsonObject webhook;
  private JsonArray commands = new JsonArray();
  private boolean enforceFloodLimits;
  private FakeFloodControl flood = new FakeFloodControl();
  private int floodRejections;

  private final java.util.Set<String> held = new java.util.HashSet<>();
  private final Map<String, Integer> withheld = new HashMap<>();
  private final Map<String, Long> answerDelaysMs = new HashMap<>();
  private final Map<String, Integer> rateLimitedChats = new HashMap<>();
  private final ArrayDeque<JsonArray> rawUpdateResults = new ArrayDeque<>();

  /** A fake that serves the bot with this token (other tokens get 401); {@link #start()} it before use. */
  public FakeTelegramApi(Vertx vertx, String token) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.token = Objects.requireNonNull(token, "token");
    long botId;
    try {
      botId = Long.parseLong(token.substring(0, Math.max(0, token.indexOf(':'))));
    } catch (NumberFormatException e) {
      botId = 1;
    }
    this.botUser = new JsonObject()
        .put("id", botId)
        .put("is_bot", true)
        .put("first_name", "Splitbot Test")
        .put("username", "splitbot_test_bot")
        .put("can_join_groups", true)
        .put("can_read_all_group_messages", false)
        .put("supports_inline_queries", false);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Listens on a free port of 127.0.0.1. */
  public Future<Void> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(50L * 1024 * 1024));
    router.route().handler(this::handle);
    return vertx.createHttpServer()
        .requestHandler(router)
        .listen(0, "127.0.0.1")
        .onSuccess(s -> server = s)
        .mapEmpty();
  }

  /** The bot token it serves. */
  public String token() {
    return token;
  }

  /** The value for TELEGRAM_API_URL: {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The port it listens on; throws while it is not started. */
  public int port() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("FakeTelegramApi is not started");
    }
    return s.actualPort();
  }

  /** Answers a waiting long poll no more and closes the server. */
  public Future<Void> stop() {
    synchronized (this) {
      if (parkedPoll != null) {
        vertx.cancelTimer(parkedPollTimer);
        parkedPoll = null;
      }
    }
    HttpServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : s.close();
  }

  // ---------------------------------------------------------------- test controls

  /** Queues an update for getUpdates; it must carry a numeric update_id. Releases a waiting long poll. */
  public void enqueueUpdate(JsonObject update) {
    if (!(update.getValue("update_id") instanceof Number id)) {
      throw new IllegalArgumentException("an update needs a numeric update_id: " + update.encode());
    }
    synchronized (this) {
      updates.put(id.longValue(), update.copy());
      if (parkedPoll != null) {
        long offset = longParam(parkedPoll.params, "offset", 0);
        JsonArray batch = batch(offset, limit(parkedPoll.params));
        if (!batch.isEmpty()) {
          Exchange poll = parkedPoll;
          parkedPoll = null;
          vertx.cancelTimer(parkedPollTimer);
          respond(poll, ok(batch));
        }
      }
    }
  }

  /** Updates not yet confirmed by an offset. */
  public synchronized int pendingUpdates() {
    return updates.size();
  }

  /** Every getUpdates offset, in arrival order (0 when the call had none). */
  public synchronized List<Long> offsetsSeen() {
    return List.copyOf(offsetsSeen);
  }

  /** The webhook as last set (url, secret_token, allowed_updates, max_connections), or null if none. */
  public synchronized JsonObject webhookInfo() {
    return webhook == null ? null : webhook.copy();
  }

  /** The next {@code times} calls of {@code method} answer 429 with {@code retry_after}. */
  public void injectRateLimit(String method, int times, int retryAfterSeconds) {
    inject(method, times, new Injected(429, "Too Many Requests: retry after " + retryAfterSeconds, retryAfterSeconds));
  }

  /** The next {@code times} calls of {@code method} answer {@code httpStatus} with {@code description}. */
  public void injectError(String method, int times, int httpStatus, String description) {
    inject(method, times, new Injected(httpStatus, description, 0));
  }

  /**
   * From now on, calls of {@code method} are carried out and recorded at once, and answered only after
   * {@code delay}: a Telegram that is slow to answer, or an answer lost on a slow network.
   */
  public synchronized void delayAnswers(String method, Duration delay) {
    answerDelaysMs.put(method, delay.toMillis());
  }

  /** Every message to {@code chatId} answers 429 with {@code retry_after} until {@link #reset()}; other chats are served. */
  public synchronized void rateLimitChat(String chatId, int retryAfterSeconds) {
    rateLimitedChats.put(chatId, retryAfterSeconds);
  }

  /**
   * The next getUpdates answers {@code {"ok":true,"result":<result>}} verbatim, whatever it holds (entries that are
   * not objects, update_ids that are not numbers): the answers a poller must survive. Releases a waiting long poll.
   */
  public void enqueueRawUpdatesResult(JsonArray result) {
    synchronized (this) {
      rawUpdateResults.add(result.copy());
      if (parkedPoll != null) {
        Exchange poll = parkedPoll;
        parkedPoll = null;
        vertx.cancelTimer(parkedPollTimer);
        respond(poll, ok(rawUpdateResults.poll()));
      }
    }
  }

  /** Answers {@code method} (also a built-in one) with {@code resultFor.apply(params)} as the result. */
  public synchronized void respondTo(String method, Function<JsonObject, Object> resultFor) {
    custom.put(method, resultFor);
  }

  /** Turns Telegram's flood limits on or off (off by default); see {@link FakeFloodControl}. */
  public synchronized void enforceFloodLimits(boolean enforce) {
    enforceFloodLimits = enforce;
    flood = new FakeFloodControl();
  }

  /** Messages refused with 429 because of the flood limits (not counting injected 429s). */
  public synchronized int floodRejections() {
    return floodRejections;
  }

  /** Every request, including failed and injected ones, in arrival order. */
  public synchronized List<RecordedCall> allCalls() {
    return calls.stream().sorted(Comparator.comparingLong(RecordedCall::atNanos)).toList();
  }

  /** Every request of {@code method}, whatever its answer, in arrival order. */
  public List<RecordedCall> allCalls(String method) {
    return allCalls().stream().filter(c -> c.method().equals(method)).toList();
  }

  /** The successful (200) requests of {@code method}, in arrival order. */
  public List<RecordedCall> calls(String method) {
    return allCalls().stream().filter(c -> c.method().equals(method) && c.ok()).toList();
  }

  /** The successful (200) requests, in arrival order. */
  public List<RecordedCall> calls() {
    return allCalls().stream().filter(RecordedCall::ok).toList();
  }

  /**
   * Blocks until {@code count} successful calls of {@code method} were recorded, else throws AssertionError.
   * Call it from a test thread, never from an event loop.
   */
  public void awaitCalls(String method, int count, Duration timeout) {
    await(() -> calls(method).size() >= count, timeout,
        () -> "expected " + count + " successful " + method + " calls within " + timeout + ", saw " + calls(method).size());
  }

  /**
   * Blocks until {@code condition} holds, checking it now and again each time the fake records a call; after
   * {@code timeout} throws AssertionError with {@code failure}'s message. The condition typically reads
   * {@link #calls()} or {@link #messages(String)}. Call it from a test thread, never from an event loop.
   */
  public void await(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("await blocks; do not call it on an event loop");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(failure.get());
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting: " + failure.get(), e);
        }
      }
    }
  }

  /**
   * The messages the bot has in {@code chatId} now, as a Telegram client shows them: each one sent with sendMessage,
   * with its edits applied and without the deleted ones, oldest first. Each is a Bot API {@code Message}
   * (message_id, chat, text, reply_markup, edit_date once edited).
   */
  public synchronized List<JsonObject> messages(String chatId) {
    ChatState chat = chats.get(chatId);
    if (chat == null) {
      return List.of();
    }
    return chat.messages.values().stream()
        .sorted(Comparator.comparingLong(m -> m.getLong("message_id")))
        .map(JsonObject::copy)
        .toList();
  }

  /** Back to a fresh state: no records, updates, webhook, messages, injections or overrides; flood limits off. */
  public synchronized void reset() {
    if (parkedPoll != null) {
      Exchange poll = parkedPoll;
      parkedPoll = null;
      vertx.cancelTimer(parkedPollTimer);
      respond(poll, ok(new JsonArray()));
    }
    calls.clear();
    offsetsSeen.clear();
    updates.clear();
    chats.clear();
    inlineMessages.clear();
    injected.clear();
    custom.clear();
    webhook = null;
    commands = new JsonArray();
    enforceFloodLimits = false;
    held.clear();
    withheld.clear();
    answerDelaysMs.clear();
    rateLimitedChats.clear();
    rawUpdateResults.clear();
    flood = new FakeFloodControl();
    floodRejections = 0;
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(RoutingContext rc) {
    long at = System.nanoTime();
    String path = rc.request().path();
    int slash = path.indexOf('/', 4);
    if (!path.startsWith("/bot") || slash < 0 || slash == path.length() - 1) {
      respond(new Exchange(rc, Vertx.currentContext(), path, new JsonObject(), at), error(404, "Not Found"));
      return;
    }
    String method = path.substring(slash + 1);
    JsonObject params;
    if (!validUtf8(rc)) {
      respond(new Exchange(rc, Vertx.currentContext(), method, new JsonObject(), at),
          error(400, "Bad Request: strings must be encoded in UTF-8"));
      return;
    }
    try {
      params = params(rc);
    } catch (RuntimeException e) {
      respond(new Exchange(rc, Vertx.currentContext(), method, new JsonObject(), at),
          error(400, "Bad Request: can't parse JSON object"));
      return;
    }
    Exchange exchange = new Exchange(rc, Vertx.currentContext(), method, params, at);
    if (!token.equals(path.substring(4, slash))) {
      respond(exchange, error(401, "Unauthorized"));
      return;
    }
    synchronized (this) {
      Answer answer = answer(exchange);
      Long delayMs = answerDelaysMs.get(method);
      if (answer != null && held.contains(method)) {
        // Telegram has acted on it (it is recorded as done); only the answer is kept back.
        record(exchange, answer);
        withheld.merge(method, 1, Integer::sum);
      } else if (answer != null && delayMs != null) {
        record(exchange, answer);
        vertx.setTimer(Math.max(1, delayMs), t -> write(exchange, answer));
      } else if (answer != null) {
        respond(exchange, answer);
      }
    }
  }

  /**
   * From now on, calls of {@code method} are carried out and recorded but never answered: the state of a bot
   * that crashes while its requests are at Telegram. Requests already withheld stay unanswered.
   */
  public synchronized void withholdAnswers(String method) {
    held.add(method);
  }

  /** How many calls of {@code method} arrived while their answers were withheld. */
  public synchronized int withheld(String method) {
    return withheld.getOrDefault(method, 0);
  }

  /** Undoes {@link #withholdAnswers(String)} for calls from now on. */
  public synchronized void answerAgain(String method) {
    held.remove(method);
  }

  /** The answer to a request, or null when it is a long poll left waiting. */
  private Answer answer(Exchange exchange) {
    String method = exchange.method;
    JsonObject p = exchange.params;
    ArrayDeque<Injected> queue = injected.get(method);
    if (queue != null && !queue.isEmpty()) {
      Injected next = queue.poll();
      return error(next.status, next.description, next.retryAfter);
    }
    Function<JsonObject, Object> override = custom.get(method);
    if (override == null && !METHODS.contains(method)) {
      return error(404, "Not Found");
    }
    Answer refused = refusedByLimits(p);
    if (refused != null) {
      return refused;
    }
    if (isMessage(method) && rateLimitedChats.containsKey(chatKey(p))) {
      int retryAfter = rateLimitedChats.get(chatKey(p));
      return error(429, "Too Many Requests: retry after " + retryAfter, retryAfter);
    }
    if (enforceFloodLimits && isMessage(method)) {
      int retryAfter = flood.admit(chatKey(p), exchange.atNanos);
      if (retryAfter > 0) {
        floodRejections++;
        return error(429, "Too Many Requests: retry after " + retryAfter, retryAfter);
      }
    }
    if (override != null) {
      return ok(override.apply(p.copy()));
    }
    return switch (method) {
      case "getMe" -> ok(botUser.copy());
      case "getUpdates" -> getUpdates(exchange);
      case "setWebhook" -> setWebhook(p);
      case "deleteWebhook" -> deleteWebhook(p);
      case "getWebhookInfo" -> ok(webhookInfoResult());
      case "sendMessage" -> sendMessage(p);
      case "editMessageText" -> editMessage(p, true);
      case "editMessageReplyMarkup" -> editMessage(p, false);
      case "deleteMessage" -> deleteMessage(p);
      case "answerCallbackQuery" -> answerCallbackQuery(p);
      case "sendChatAction" -> sendChatAction(p);
      case "setMyCommands" -> setMyCommands(p);
      case "getMyCommands" -> ok(commands.copy());
      default -> error(404, "Not Found");
    };
  }

  /**
   * Telegram's documented rules that hold for any method, the ones a test of a bot's texts must be able to fail on:
   * a string with half a surrogate pair (invalid UTF-8 once decoded), a caption over 1024 characters (UTF-16 units,
   * as Telegram counts; also in a media group's items), and an inline button's callback_data outside 1-64 bytes. A
   * message's text (4096) and a callback answer's text (200) are checked by their methods.
   */
  private static Answer refusedByLimits(JsonObject p) {
    if (LoneSurrogates.in(p)) {
      return badRequest("strings must be encoded in UTF-8");
    }
    List<Object> captioned = new ArrayList<>(List.of(p));
    if (p.getValue("media") instanceof JsonArray media) {
      media.forEach(captioned::add);
    } else if (p.getValue("media") instanceof JsonObject media) {
      captioned.add(media);
    }
    for (Object holder : captioned) {
      if (holder instanceof JsonObject o && o.getValue("caption") instanceof String caption
          && caption.length() > MAX_CAPTION_LENGTH) {
        return badRequest("message caption is too long");
      }
    }
    if (p.getValue("reply_markup") instanceof JsonObject markup && markup.getValue("inline_keyboard") instanceof JsonArray rows) {
      for (Object row : rows) {
        for (Object button : row instanceof JsonArray r ? r : new JsonArray()) {
          if (button instanceof JsonObject b && b.getValue("callback_data") instanceof String data) {
            int bytes = data.getBytes(StandardCharsets.UTF_8).length;
            if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) {
              return badRequest("BUTTON_DATA_INVALID");
            }
          }
        }
      }
    }
    return null;
  }

  /** Records the call and writes the answer on the request's own context. */
  private void respond(Exchange exchange, Answer answer) {
    record(exchange, answer);
    write(exchange, answer);
  }

  private synchronized void record(Exchange exchange, Answer answer) {
    Object result = answer.body.getValue("result");
    calls.add(new RecordedCall(exchange.method, exchange.params.copy(), exchange.atNanos, answer.status,
        result instanceof JsonObject json ? json.copy() : result instanceof JsonArray array ? array.copy() : result));
    notifyAll();
  }

  /** Writes the answer on the request's own context; a client that has gone meanwhile gets nothing. */
  private void write(Exchange exchange, Answer answer) {
    Runnable write = () -> {
      if (!exchange.rc.response().closed() && !exchange.rc.response().ended()) {
        exchange.rc.response()
            .setStatusCode(answer.status)
            .putHeader("Content-Type", "application/json")
            .end(answer.body.encode());
      }
    };
    if (Vertx.currentContext() == exchange.context) {
      write.run();
    } else {
      exchange.context.runOnContext(v -> write.run());
    }
  }

  /** Whether the body (if any) is well-formed UTF-8, as Telegram requires of every request. */
  private static boolean validUtf8(RoutingContext rc) {
    if (rc.body() == null || rc.body().buffer() == null) {
      return true;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(rc.body().buffer().getBytes()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static JsonObject params(RoutingContext rc) {
    JsonObject p = new JsonObject();
    rc.queryParams().forEach(e -> p.put(e.getKey(), e.getValue()));
    String contentType = rc.request().getHeader("Content-Type");
    if (contentType != null && contentType.toLowerCase().startsWith("application/json")) {
      if (rc.body().length() > 0) {
        p.mergeIn(rc.body().asJsonObject());
      }
    } else {
      rc.request().formAttributes().forEach(e -> p.put(e.getKey(), e.getValue()));
    }
    for (String name : JSON_PARAMS) {
      if (p.getValue(name) instanceof String s && (s.startsWith("{") || s.startsWith("["))) {
        p.put(name, s.startsWith("{") ? new JsonObject(s) : new JsonArray(s));
      }
    }
    return p;
  }

  // ---------------------------------------------------------------- updates and webhook

  private Answer getUpdates(Exchange exchange) {
    JsonObject p = exchange.params;
    long offset = longParam(p, "offset", 0);
    offsetsSeen.add(offset);
    if (!rawUpdateResults.isEmpty()) {
      return ok(rawUpdateResults.poll());
    }
    if (webhook != null) {
      return error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    if (parkedPoll != null) {
      Exchange earlier = parkedPoll;
      parkedPoll = null;
      vertx.cancelTimer(parkedPollTimer);
      respond(earlier, error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
    }
    if (offset > 0) {
      updates.headMap(offset).clear();
    } else if (offset < 0) {
      while (updates.size() > -offset) {
        updates.pollFirstEntry();
      }
    }
    JsonArray batch = batch(offset, limit(p));
    long timeoutSeconds = Math.max(0, longParam(p, "timeout", 0));
    if (!batch.isEmpty() || timeoutSeconds == 0) {
      return ok(batch);
    }
    parkedPoll = exchange;
    parkedPollTimer = vertx.setTimer(timeoutSeconds * 1000, id -> {
      synchronized (this) {
        if (parkedPoll == exchange) {
          parkedPoll = null;
          respond(exchange, ok(new JsonArray()));
        }
      }
    });
    exchange.rc.response().closeHandler(v -> {
      synchronized (this) {
        if (parkedPoll == exchange) {
          parkedPoll = null;
          vertx.cancelTimer(parkedPollTimer);
          calls.add(new RecordedCall(exchange.method, exchange.params.copy(), exchange.atNanos, 0, null));
          notifyAll();
        }
      }
    });
    return null;
  }

  private JsonArray batch(long offset, int limit) {
    JsonArray batch = new JsonArray();
    for (JsonObject update : (offset > 0 ? updates.tailMap(offset) : updates).values()) {
      if (batch.size() >= limit) {
        break;
      }
      batch.add(update.copy());
    }
    return batch;
  }

  private static int limit(JsonObject p) {
    return (int) Math.min(100, Math.max(1, longParam(p, "limit", 100)));
  }

  private Answer setWebhook(JsonObject p) {
    String url = stringParam(p, "url");
    if (url == null) {
      return badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    if (url.isEmpty()) {
      webhook = null; // Telegram: an empty url removes the webhook
      return ok(true);
    }
    if (!url.startsWith("https://") && !url.startsWith("http://")) {
      return badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    String secret = stringParam(p, "secret_token");
    if (secret != null && !SECRET_TOKEN.matcher(secret).matches()) {
      return badRequest("secret token contains unallowed characters");
    }
    long maxConnections = longParam(p, "max_connections", 40);
    if (maxConnections < 1 || maxConnections > 100) {
      return badRequest("bad webhook: max_connections must be between 1 and 100");
    }
    if (boolParam(p, "drop_pending_updates")) {
      updates.clear();
    }
    webhook = new JsonObject().put("url", url).put("max_connections", maxConnections);
    if (secret != null) {
      webhook.put("secret_token", secret);
    }
    if (p.getValue("allowed_updates") instanceof JsonArray allowed) {
      webhook.put("allowed_updates", allowed.copy());
    }
    return ok(true);
  }

  private Answer deleteWebhook(JsonObject p) {
    webhook = null;
    if (boolParam(p, "drop_pending_updates")) {
      updates.clear();
    }
    return ok(true);
  }

  private JsonObject webhookInfoResult() {
    JsonObject info = new JsonObject()
        .put("url", webhook == null ? "" : webhook.getString("url"))
        .put("has_custom_certificate", false)
        .put("pending_update_count", updates.size());
    if (webhook != null) {
      info.put("max_connections", webhook.getValue("max_connections"));
      if (webhook.containsKey("allowed_updates")) {
        info.put("allowed_updates", webhook.getValue("allowed_updates"));
      }
    }
    return info;
  }

  // ---------------------------------------------------------------- messages

  private Answer sendMessage(JsonObject p) {
    String chatKey = chatKey(p);
    if (chatKey == null || chatKey.isBlank()) {
      return badRequest("chat_id is empty");
    }
    if (!CHAT_ID.matcher(chatKey).matches()) {
      return badRequest("chat not found");
    }
    String text = stringParam(p, "text");
    if (text == null || text.isBlank()) {
      return badRequest("message text is empty");
    }
    if (text.length() > MAX_TEXT_LENGTH) {
      return badRequest("message is too long");
    }
    ChatState chat = chats.computeIfAbsent(chatKey, ChatState::new);
    JsonObject message = new JsonObject()
        .put("message_id", ++chat.lastMessageId)
        .put("from", botUser.copy())
        .put("chat", chat.json())
        .put("date", System.currentTimeMillis() / 1000)
        .put("text", text);
    if (p.getValue("reply_markup") != null) {
      message.put("reply_markup", p.getValue("reply_markup"));
    }
    chat.messages.put(chat.lastMessageId, message);
    return ok(message.copy());
  }

  /** editMessageText ({@code withText}) or editMessageReplyMarkup: a chat message or an inline one. */
  private Answer editMessage(JsonObject p, boolean withText) {
    String text = stringParam(p, "text");
    if (withText && (text == null || text.isBlank())) {
      return badRequest("message text is empty");
    }
    if (withText && text.length() > MAX_TEXT_LENGTH) {
      return badRequest("message is too long");
    }
    Object markup = p.getValue("reply_markup");
    String inlineId = stringParam(p, "inline_message_id");
    JsonObject current;
    if (inlineId != null) {
      // Inline messages come from inline queries the fake does not model: any id is accepted once.
      current = inlineMessages.computeIfAbsent(inlineId, id -> new JsonObject());
    } else {
      ChatState chat = chats.get(Objects.requireNonNullElse(chatKey(p), ""));
      current = chat == null ? null : chat.messages.get(longParam(p, "message_id", -1));
      if (current == null) {
        return badRequest("message to edit not found");
      }
    }
    String newText = withText ? text : current.getString("text");
    if (Objects.equals(newText, current.getString("text")) && Objects.equals(markup, current.getValue("reply_markup"))) {
      return badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
    }
    if (newText != null) {
      current.put("text", newText);
    }
    if (markup == null) {
      current.remove("reply_markup");
    } else {
      current.put("reply_markup", markup);
    }
    current.put("edit_date", System.currentTimeMillis() / 1000);
    return inlineId != null ? ok(true) : ok(current.copy());
  }

  private Answer deleteMessage(JsonObject p) {
    ChatState chat = chats.get(Objects.requireNonNullElse(chatKey(p), ""));
    if (chat == null || chat.messages.remove(longParam(p, "message_id", -1)) == null) {
      return badRequest("message to delete not found");
    }
    return ok(true);
  }

  private Answer answerCallbackQuery(JsonObject p) {
    String id = stringParam(p, "callback_query_id");
    if (id == null || id.isBlank()) {
      return badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    String text = stringParam(p, "text");
    if (text != null && text.length() > MAX_CALLBACK_TEXT_LENGTH) {
      return badRequest("MESSAGE_TOO_LONG");
    }
    return ok(true);
  }

  private Answer sendChatAction(JsonObject p) {
    String chatKey = chatKey(p);
    if (chatKey == null || chatKey.isBlank()) {
      return badRequest("chat_id is empty");
    }
    if (stringParam(p, "action") == null) {
      return badRequest("wrong parameter action in request");
    }
    return ok(true);
  }

  private Answer setMyCommands(JsonObject p) {
    if (!(p.getValue("commands") instanceof JsonArray list)) {
      return badRequest("parameter \"commands\" is required");
    }
    commands = list.copy();
    return ok(true);
  }

  // ---------------------------------------------------------------- helpers

  private void inject(String method, int times, Injected failure) {
    synchronized (this) {
      ArrayDeque<Injected> queue = injected.computeIfAbsent(method, m -> new ArrayDeque<>());
      for (int i = 0; i < times; i++) {
        queue.add(failure);
      }
    }
  }

  /** Flood limits count messages: send* (not chat actions), copies and forwards. */
  private static boolean isMessage(String method) {
    return (method.startsWith("send") && !method.equals("sendChatAction"))
        || method.startsWith("copyMessage")
        || method.startsWith("forwardMessage");
  }

  private static String chatKey(JsonObject p) {
    Object chatId = p.getValue("chat_id");
    return chatId == null ? null : chatId.toString().trim();
  }

  private static String stringParam(JsonObject p, String name) {
    Object value = p.getValue(name);
    return value == null ? null : value.toString();
  }

  private static long longParam(JsonObject p, String name, long absent) {
    Object value = p.getValue(name);
    if (value instanceof Number n) {
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return absent;
      }
    }
    return absent;
  }

  private static boolean boolParam(JsonObject p, String name) {
    Object value = p.getValue(name);
    return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
  }

  private static Answer ok(Object result) {
    return new Answer(200, new JsonObject().put("ok", true).put("result", result));
  }

  private static Answer badRequest(String what) {
    return error(400, "Bad Request: " + what);
  }

  private static Answer error(int status, String description) {
    return error(status, description, 0);
  }

  private static Answer error(int status, String description, int retryAfter) {
    JsonObject body = new JsonObject().put("ok", false).put("error_code", status).put("description", description);
    if (retryAfter > 0) {
      body.put("parameters", new JsonObject().put("retry_after", retryAfter));
    }
    return new Answer(status, body);
  }

  private record Answer(int status, JsonObject body) {
  }

  private record Injected(int status, String description, int retryAfter) {
  }

  /** A request in flight: where to answer it and what to record. */
  private record Exchange(RoutingContext rc, Context context, String method, JsonObject params, long atNanos) {
  }

  private static final class ChatState {
    final String key;
    final Map<Long, JsonObject> messages = new HashMap<>();
    long lastMessageId;

    ChatState(String key) {
      this.key = key;
    }

    JsonObject json() {
      JsonObject chat = new JsonObject();
      if (key.startsWith("@")) {
        return chat.put("id", key).put("type", "channel").put("username", key.substring(1));
      }
      long id = Long.parseLong(key);
      String type = id > 0 ? "private" : key.startsWith("-100") ? "supergroup" : "group";
      return chat.put("id", id).put("type", type);
    }
  }
}
