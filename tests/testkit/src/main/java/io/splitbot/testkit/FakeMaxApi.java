package io.splitbot.testkit;

import io.splitbot.edge.platform.max.MaxUpdates;
import io.splitbot.shared.update.MalformedUpdateException;
import io.splitbot.worker.sandbox.LoneSurrogates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A fake MAX Bot API on a real HTTP server at 127.0.0.1, for end-to-end tests in-process or of bots in other JVMs
 * (point MAX_API_URL at {@link #baseUrl()}). docs/MAX.md lists the rules it enforces and where each comes from.
 *
 * <p>It speaks MAX's wire format: {@code {base}/{path}}, the token in the {@code Authorization} header (a token in the
 * {@code access_token} query parameter is refused: MAX no longer supports it), JSON bodies, errors as
 * {@code {"code":..., "message":...}}. It implements {@code GET /me}, {@code POST/PUT/DELETE /messages},
 * {@code POST /answers}, {@code POST /chats/{chatId}/actions}, {@code GET/POST/DELETE /subscriptions} and
 * {@code GET /updates} (real long polling over the updates a test {@linkplain #pushUpdate pushes}); other routes
 * answer 404 {@code method.not.found}. It refuses texts over 4000 characters, keyboards beyond MAX's limits and strings
 * that are not valid Unicode (half a surrogate pair; how MAX words that refusal is assumed), and
 * answers 429 beyond 30 requests in any second overall or 2 messages (or callback answers) per second to one chat.
 *
 * <p>Tests drive it from their own thread: every public method is thread-safe. It records each request and can answer
 * the next requests of a route with injected errors.
 */
public final class FakeMaxApi {

  /**
   * One request as the fake saw it: {@code atNanos} is its arrival ({@link System#nanoTime()}), {@code query} its
   * query parameters, {@code body} its JSON body (null without one), status 0 if the client left before an answer,
   * and {@code response} the body answered (null then).
   */
  public record RecordedCall(String method, String path, JsonObject query, JsonObject body, long atNanos, int status,
      JsonObject response) {
    public boolean ok() {
      return status == 200;
    }

    /** {@code "<METHOD> <path>"}, e.g. {@code "POST /messages"}. */
    public String route() {
      return method + " " + path;
    }
  }

  /** A {@code POST /answers} the fake accepted: the new message content and/or the one-time notification. */
  public record CallbackAnswer(String callbackId, JsonObject message, String notification) {
  }

  /** The bot's {@code user_id} in {@code GET /me} and as the sender of its messages. */
  public static final long BOT_USER_ID = 9_000_001L;
  /** Requests admitted in any second, over all methods ([GA] in docs/MAX.md). */
  public static final int REQUESTS_PER_SECOND = 30;
  /** Messages, and separately callback answers, admitted per chat in any second ([D-msg], [D-ans]). */
  public static final int MESSAGES_PER_CHAT_PER_SECOND = 2;
  /**
   * The timing a client is forgiven: a request counts against the limits for 1 s minus this. A client paces by its
   * own clock and the network shifts arrivals a little; one without a throttle still trips the limits at once.
   */
  public static final long SLACK_MS = 100;

  private static final int MAX_TEXT_LENGTH = 4000;
  private static final int MAX_BUTTON_TEXT = 128;
  private static final int MAX_ROWS = 30;
  private static final int MAX_BUTTONS_PER_ROW = 7;
  private static final int MAX_WIDE_BUTTONS_PER_ROW = 3;
  private static final int MAX_BUTTONS = 210;
  private static final Set<String> WIDE_BUTTONS = Set.of("link", "open_app", "request_geo_location", "request_contact");
  private static final Set<String> BUTTON_TYPES = Set.of(
      "callback", "link", "request_geo_location", "request_contact", "message", "open_app", "clipboard");
  private static final Set<String> ATTACHMENT_TYPES = Set.of(
      "image", "video", "audio", "file", "sticker", "contact", "inline_keyboard", "location", "share");
  private static final Set<String> ACTIONS = Set.of(
      "typing_on", "sending_photo", "sending_video", "sending_audio", "sending_file", "mark_seen");
  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,19}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{5,256}");
  private static final Pattern CHAT_ACTIONS = Pattern.compile("/chats/(-?\\d{1,19})/actions");
  private static final Set<String> ROUTES = Set.of(
      "GET /me", "POST /messages", "PUT /messages", "DELETE /messages", "POST /answers",
      "GET /subscriptions", "POST /subscriptions", "DELETE /subscriptions", "GET /updates");
  private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1000 - SLACK_MS);

  private final Vertx vertx;
  private final String token;
  private volatile HttpServer server;

  // All state below is guarded by this object's monitor.
  private final List<RecordedCall> calls = new ArrayList<>();
  private final List<JsonObject> sent = new ArrayList<>();
  private final List<CallbackAnswer> answers = new ArrayList<>();
  private final Map<String, JsonObject> messages = new LinkedHashMap<>();
  private final TreeMap<Long, JsonObject> updates = new TreeMap<>();
  private final List<Long> markersSeen = new ArrayList<>();
  private final List<Poll> parkedPolls = new ArrayList<>();
  private final Map<String, JsonObject> subscriptions = new LinkedHashMap<>();
  private final Map<Long, Long> dialogs = new HashMap<>();
  private final Map<Long, String> chatTypes = new HashMap<>();
  private final Map<String, JsonObject> callbacks = new HashMap<>();
  private final Map<String, ArrayDeque<Integer>> injected = new HashMap<>();
  private final ArrayDeque<Long> admitted = new ArrayDeque<>();
  private final Map<String, ArrayDeque<Long>> perChat = new HashMap<>();
  private long nextMarker = 1;
  private long nextSeq = 1;
  private boolean enforceLimits = true;
  private int rateLimitRejections;

  /** A fake that serves the bot with this token (other tokens get 401); {@link #start()} it before use. */
  public FakeMaxApi(Vertx vertx, String token) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.token = Objects.requireNonNull(token, "token");
  }

  // ---------------------------------------------------------------- lifecycle

  /** Listens on a free port of 127.0.0.1. */
  public Future<Void> start() {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(10L * 1024 * 1024));
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

  /** The value for MAX_API_URL: {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The port it listens on; throws while it is not started. */
  public int port() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("FakeMaxApi is not started");
    }
    return s.actualPort();
  }

  /** Answers waiting long polls no more and closes the server. */
  public Future<Void> stop() {
    synchronized (this) {
      parkedPolls.forEach(poll -> vertx.cancelTimer(poll.timer));
      parkedPolls.clear();
    }
    HttpServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : s.close();
  }

  // ---------------------------------------------------------------- test controls

  /**
   * Queues an update for {@code GET /updates} and releases waiting long polls. Any JSON object is queued as it is,
   * also one MAX would never send, so a test can see how a poller copes. From a well-formed one the fake learns what
   * MAX would know: the dialog of a user (so {@code POST /messages?user_id=} lands there), a chat's type, and the
   * message a {@code callback_id} belongs to (so an answer with a message edits it).
   *
   * @return its sequence number: a {@code marker} of this value or less leaves it pending, a greater one commits it
   */
  public long pushUpdate(JsonObject update) {
    JsonObject copy = update.copy();
    synchronized (this) {
      learn(copy);
      long marker = nextMarker++;
      updates.put(marker, copy);
      for (Poll poll : List.copyOf(parkedPolls)) {
        UpdateBatch batch = batch(poll.types, poll.limit);
        if (!batch.updates.isEmpty()) {
          parkedPolls.remove(poll);
          vertx.cancelTimer(poll.timer);
          respond(poll.exchange, ok(batch.json()));
        }
      }
      return marker;
    }
  }

  /** Updates not yet committed by a marker. */
  public synchronized int pendingUpdates() {
    return updates.size();
  }

  /** Every {@code GET /updates} marker, in arrival order (null when the call had none). */
  public synchronized List<Long> markersSeen() {
    return new ArrayList<>(markersSeen);
  }

  /**
   * The next {@code times} requests of {@code route} answer {@code status} with MAX's error body. {@code route} is
   * {@code "<METHOD> <path>"} (e.g. {@code "POST /messages"}) or a bare path for any method ({@code "/messages"}).
   */
  public synchronized void failNext(String route, int status, int times) {
    ArrayDeque<Integer> queue = injected.computeIfAbsent(route, r -> new ArrayDeque<>());
    for (int i = 0; i < times; i++) {
      queue.add(status);
    }
  }

  /** Turns the rate limits (30 requests/s overall, 2 messages/s per chat) on or off; on by default. */
  public synchronized void enforceLimits(boolean enforce) {
    enforceLimits = enforce;
    admitted.clear();
    perChat.clear();
  }

  /** Requests refused with 429 by the rate limits (not counting injected 429s). */
  public synchronized int rateLimitRejections() {
    return rateLimitRejections;
  }

  /** A webhook subscription as one made earlier would leave it (a test of a poller that must remove it first). */
  public synchronized void subscribe(String url) {
    subscriptions.put(url, new JsonObject().put("url", url).put("time", System.currentTimeMillis()));
  }

  /** The current webhook subscriptions: {@code url}, {@code time}, {@code update_types} and {@code secret} if set. */
  public synchronized List<JsonObject> subscriptions() {
    return subscriptions.values().stream().map(JsonObject::copy).toList();
  }

  /** Every request, including refused and injected ones, in arrival order. */
  public synchronized List<RecordedCall> allCalls() {
    return calls.stream().sorted(Comparator.comparingLong(RecordedCall::atNanos)).toList();
  }

  /** The successful (200) requests, in arrival order. */
  public List<RecordedCall> calls() {
    return allCalls().stream().filter(RecordedCall::ok).toList();
  }

  /** The successful requests of {@code route} ({@code "POST /messages"}, or a bare path for any method). */
  public List<RecordedCall> calls(String route) {
    return allCalls().stream().filter(c -> c.ok() && matches(route, c.method(), c.path())).toList();
  }

  /** Every message the bot sent successfully, as {@code POST /messages} answered it (a MAX {@code Message}), in order. */
  public synchronized List<JsonObject> sent() {
    return sent.stream().map(JsonObject::copy).toList();
  }

  /** Every callback answer accepted, in order. */
  public synchronized List<CallbackAnswer> answers() {
    return List.copyOf(answers);
  }

  /**
   * The bot's messages in {@code chatId} now, as a MAX client shows them: with their edits applied and without the
   * deleted ones, oldest first.
   */
  public synchronized List<JsonObject> messages(long chatId) {
    return messages.values().stream()
        .filter(m -> m.getJsonObject("recipient").getLong("chat_id") == chatId)
        .map(JsonObject::copy)
        .toList();
  }

  /** Blocks until {@code count} messages were sent, else throws AssertionError. Never call it on an event loop. */
  public void awaitSent(int count, Duration timeout) {
    await(() -> sent().size() >= count, timeout,
        () -> "expected " + count + " sent messages within " + timeout + ", saw " + sent().size());
  }

  /** Blocks until {@code count} callback answers were accepted, else throws AssertionError. */
  public void awaitAnswers(int count, Duration timeout) {
    await(() -> answers().size() >= count, timeout,
        () -> "expected " + count + " callback answers within " + timeout + ", saw " + answers().size());
  }

  /** Blocks until {@code count} successful requests of {@code route} were recorded, else throws AssertionError. */
  public void awaitCalls(String route, int count, Duration timeout) {
    await(() -> calls(route).size() >= count, timeout,
        () -> "expected " + count + " successful " + route + " calls within " + timeout + ", saw " + calls(route).size());
  }

  /**
   * Blocks until {@code condition} holds, checking it now and each time the fake records a call; after
   * {@code timeout} throws AssertionError with {@code failure}'s message. Never call it on an event loop.
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

  /** Back to a fresh state: no records, updates, messages, subscriptions or injections; limits on. */
  public synchronized void reset() {
    for (Poll poll : parkedPolls) {
      vertx.cancelTimer(poll.timer);
      respond(poll.exchange, ok(new UpdateBatch(List.of(), nextMarker).json()));
    }
    parkedPolls.clear();
    calls.clear();
    sent.clear();
    answers.clear();
    messages.clear();
    updates.clear();
    markersSeen.clear();
    subscriptions.clear();
    dialogs.clear();
    chatTypes.clear();
    callbacks.clear();
    injected.clear();
    admitted.clear();
    perChat.clear();
    enforceLimits = true;
    rateLimitRejections = 0;
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(RoutingContext rc) {
    long at = System.nanoTime();
    String method = rc.request().method().name();
    String path = rc.request().path();
    JsonObject query = new JsonObject();
    rc.queryParams().forEach(e -> query.put(e.getKey(), e.getValue()));
    JsonObject body = null;
    boolean notJson = false;
    try {
      body = rc.body().length() == 0 ? null : rc.body().asJsonObject();
    } catch (RuntimeException e) {
      notJson = true;
    }
    Exchange exchange = new Exchange(rc, Vertx.currentContext(), method, path, query, body, notJson, at);
    synchronized (this) {
      Answer answer = answer(exchange);
      if (answer != null) {
        respond(exchange, answer);
      }
    }
  }

  /** The answer to a request, or null when it is a long poll left waiting. */
  private Answer answer(Exchange x) {
    String route = route(x.method, x.path);
    // MAX resolves the route before it checks the token.
    if (route == null) {
      return error(404, "method.not.found", "No method " + x.method + " " + x.path);
    }
    if (x.query.containsKey("access_token")) {
      return error(401, "verify.token",
          "The access_token query parameter is no longer supported: send the token in the Authorization header");
    }
    if (!token.equals(x.rc.request().getHeader("Authorization"))) {
      return error(401, "verify.token", "Invalid access_token");
    }
    Integer failure = injectedFailure(x);
    if (failure != null) {
      return error(failure, codeFor(failure), "Injected by the test");
    }
    if (enforceLimits && !admit(admitted, REQUESTS_PER_SECOND, x.atNanos)) {
      return tooManyRequests("Too many requests: at most " + REQUESTS_PER_SECOND + " per second");
    }
    if (x.notJson) {
      return badRequest("The body is not a JSON object");
    }
    if (LoneSurrogates.in(x.body) || LoneSurrogates.in(x.query)) {
      return badRequest("Strings must be valid UTF-8: the request holds half a surrogate pair");
    }
    return switch (route) {
      case "GET /me" -> ok(botInfo());
      case "POST /messages" -> sendMessage(x);
      case "PUT /messages" -> editMessage(x);
      case "DELETE /messages" -> deleteMessage(x);
      case "POST /answers" -> answerCallback(x);
      case "POST /chats/{chatId}/actions" -> sendAction(x);
      case "GET /subscriptions" -> listSubscriptions();
      case "POST /subscriptions" -> subscribe(x);
      case "DELETE /subscriptions" -> unsubscribe(x);
      case "GET /updates" -> getUpdates(x);
      default -> error(404, "method.not.found", "No method " + route);
    };
  }

  private static String route(String method, String path) {
    if (CHAT_ACTIONS.matcher(path).matches()) {
      return method.equals("POST") ? "POST /chats/{chatId}/actions" : null;
    }
    String route = method + " " + path;
    return ROUTES.contains(route) ? route : null;
  }

  private static boolean matches(String route, String method, String path) {
    return route.equals(method + " " + path) || route.equals(path);
  }

  private Integer injectedFailure(Exchange x) {
    for (Map.Entry<String, ArrayDeque<Integer>> entry : injected.entrySet()) {
      if (matches(entry.getKey(), x.method, x.path) && !entry.getValue().isEmpty()) {
        return entry.getValue().poll();
      }
    }
    return null;
  }

  /** Records the call and writes the answer on the request's own context. */
  private synchronized void respond(Exchange x, Answer answer) {
    calls.add(new RecordedCall(x.method, x.path, x.query.copy(), x.body == null ? null : x.body.copy(), x.atNanos,
        answer.status, answer.body.copy()));
    notifyAll();
    Runnable write = () -> {
      if (!x.rc.response().closed() && !x.rc.response().ended()) {
        x.rc.response().setStatusCode(answer.status).putHeader("Content-Type", "application/json")
            .end(answer.body.encode());
      }
    };
    if (Vertx.currentContext() == x.context) {
      write.run();
    } else {
      x.context.runOnContext(v -> write.run());
    }
  }

  // ---------------------------------------------------------------- rate limits

  /** Admits a request into a sliding window of {@code limit} per second (less {@link #SLACK_MS}). */
  private static boolean admit(ArrayDeque<Long> window, int limit, long now) {
    while (!window.isEmpty() && now - window.peekFirst() >= WINDOW_NANOS) {
      window.pollFirst();
    }
    if (window.size() >= limit) {
      return false;
    }
    window.addLast(now);
    return true;
  }

  private boolean admitToChat(String kind, long chatId, long now) {
    return !enforceLimits
        || admit(perChat.computeIfAbsent(kind + ":" + chatId, k -> new ArrayDeque<>()), MESSAGES_PER_CHAT_PER_SECOND, now);
  }

  private Answer tooManyRequests(String message) {
    rateLimitRejections++;
    return error(429, "too.many.requests", message);
  }

  // ---------------------------------------------------------------- messages

  private Answer sendMessage(Exchange x) {
    Long chatId = integerParam(x.query, "chat_id");
    Long userId = integerParam(x.query, "user_id");
    if ((chatId == null) == (userId == null)) {
      return badRequest(x.query.containsKey("chat_id") || x.query.containsKey("user_id")
          ? "chat_id and user_id must be integers, and only one of them given"
          : "chat_id or user_id is required");
    }
    String invalid = checkLinkPreview(x.query);
    if (invalid == null) {
      invalid = x.body == null ? "The body (NewMessageBody) is required" : checkNewMessage(x.body, "", true);
    }
    if (invalid != null) {
      return badRequest(invalid);
    }
    long chat = chatId != null ? chatId : dialogs.getOrDefault(userId, userId);
    if (!admitToChat("message", chat, x.atNanos)) {
      return tooManyRequests("Too many messages to chat " + chat + ": at most " + MESSAGES_PER_CHAT_PER_SECOND + " per second");
    }
    JsonObject recipient = new JsonObject().put("chat_id", chat)
        .put("chat_type", chatId != null ? chatTypes.getOrDefault(chat, chat < 0 ? "chat" : "dialog") : "dialog");
    if (userId != null) {
      recipient.put("user_id", userId);
    }
    long seq = nextSeq++;
    JsonObject message = new JsonObject()
        .put("sender", botUser())
        .put("recipient", recipient)
        .put("timestamp", System.currentTimeMillis())
        .put("body", applyContent(new JsonObject()
            .put("mid", "mid." + String.format("%016x%016x", chat, seq))
            .put("seq", seq), x.body));
    if (x.body.getValue("link") instanceof JsonObject link) {
      message.put("link", new JsonObject().put("type", link.getString("type"))
          .put("message", new JsonObject().put("mid", link.getString("mid"))));
    }
    messages.put(message.getJsonObject("body").getString("mid"), message);
    sent.add(message.copy());
    return ok(new JsonObject().put("message", message.copy()));
  }

  private Answer editMessage(Exchange x) {
    String mid = x.query.getString("message_id");
    JsonObject message = mid == null ? null : messages.get(mid);
    String invalid = mid == null || mid.isBlank() ? "message_id is required"
        : x.body == null ? "The body (NewMessageBody) is required" : checkNewMessage(x.body, "", false);
    if (invalid != null) {
      return badRequest(invalid);
    }
    if (message == null) {
      return error(404, "not.found", "Message not found");
    }
    applyContent(message.getJsonObject("body"), x.body);
    return success();
  }

  private Answer deleteMessage(Exchange x) {
    String mid = x.query.getString("message_id");
    if (mid == null || mid.isBlank()) {
      return badRequest("message_id is required");
    }
    if (messages.remove(mid) == null) {
      return error(404, "not.found", "Message not found");
    }
    return success();
  }

  /**
   * Replaces the text when the body has one and the attachments when it has a list ({@code []} removes them, null or
   * absent keeps them: the edit rule of the schema).
   */
  private static JsonObject applyContent(JsonObject body, JsonObject content) {
    if (content.containsKey("text")) {
      body.put("text", content.getValue("text"));
    }
    if (content.getValue("attachments") instanceof JsonArray attachments) {
      if (attachments.isEmpty()) {
        body.remove("attachments");
      } else {
        body.put("attachments", attachments.copy());
      }
    }
    return body;
  }

  private Answer answerCallback(Exchange x) {
    String callbackId = x.query.getString("callback_id");
    if (callbackId == null || callbackId.isBlank()) {
      return badRequest("callback_id is required");
    }
    if (x.body == null) {
      return badRequest("The body (CallbackAnswer) is required");
    }
    Object message = x.body.getValue("message");
    Object notification = x.body.getValue("notification");
    if (message != null && !(message instanceof JsonObject)) {
      return badRequest("message must be an object");
    }
    if (notification != null && !(notification instanceof String)) {
      return badRequest("notification must be a string");
    }
    if (message == null && notification == null) {
      return badRequest("message or notification is required");
    }
    String invalid = message == null ? null : checkNewMessage((JsonObject) message, "message.", true);
    if (invalid == null) {
      invalid = checkLinkPreview(x.query);
    }
    if (invalid != null) {
      return badRequest(invalid);
    }
    // Known only for callbacks the test pushed: their chat (for the per-chat limit) and their message (to edit).
    JsonObject pressed = callbacks.get(callbackId);
    if (pressed != null && pressed.getValue("chat_id") instanceof Number chat
        && !admitToChat("answer", chat.longValue(), x.atNanos)) {
      return tooManyRequests("Too many answers to chat " + chat + ": at most " + MESSAGES_PER_CHAT_PER_SECOND + " per second");
    }
    JsonObject edited = pressed == null ? null : messages.get(pressed.getString("mid"));
    if (edited != null && message != null) {
      applyContent(edited.getJsonObject("body"), (JsonObject) message);
    }
    answers.add(new CallbackAnswer(callbackId, message == null ? null : ((JsonObject) message).copy(), (String) notification));
    return success();
  }

  private Answer sendAction(Exchange x) {
    Object action = x.body == null ? null : x.body.getValue("action");
    if (!(action instanceof String name) || !ACTIONS.contains(name)) {
      return badRequest("action must be one of " + ACTIONS);
    }
    return success();
  }

  private static String checkLinkPreview(JsonObject query) {
    String preview = query.getString("disable_link_preview");
    return preview == null || preview.equals("true") || preview.equals("false")
        ? null : "disable_link_preview must be true or false";
  }

  /** The first way {@code body} breaks the NewMessageBody rules, or null; {@code path} prefixes the field names. */
  private static String checkNewMessage(JsonObject body, String path, boolean needsContent) {
    Object text = body.getValue("text");
    if (text != null && !(text instanceof String)) {
      return path + "text must be a string";
    }
    if (text != null && ((String) text).codePointCount(0, ((String) text).length()) > MAX_TEXT_LENGTH) {
      return path + "text is longer than " + MAX_TEXT_LENGTH + " characters";
    }
    Object format = body.getValue("format");
    if (format != null && !format.equals("markdown") && !format.equals("html")) {
      return path + "format must be markdown or html";
    }
    Object notify = body.getValue("notify");
    if (notify != null && !(notify instanceof Boolean)) {
      return path + "notify must be a boolean";
    }
    Object link = body.getValue("link");
    if (link != null && !(link instanceof JsonObject l && ("forward".equals(l.getValue("type"))
        || "reply".equals(l.getValue("type"))) && l.getValue("mid") instanceof String)) {
      return path + "link must be {type: forward|reply, mid}";
    }
    Object attachments = body.getValue("attachments");
    if (attachments != null && !(attachments instanceof JsonArray)) {
      return path + "attachments must be an array";
    }
    JsonArray list = attachments == null ? new JsonArray() : (JsonArray) attachments;
    for (int i = 0; i < list.size(); i++) {
      String invalid = checkAttachment(list.getValue(i), path + "attachments[" + i + "]");
      if (invalid != null) {
        return invalid;
      }
    }
    boolean empty = (text == null || ((String) text).isBlank()) && list.isEmpty() && link == null;
    return needsContent && empty ? path + "text or attachments are required" : null;
  }

  private static String checkAttachment(Object value, String path) {
    if (!(value instanceof JsonObject attachment) || !(attachment.getValue("type") instanceof String type)) {
      return path + " must be an object with a string type";
    }
    if (!ATTACHMENT_TYPES.contains(type)) {
      return path + ".type must be one of " + ATTACHMENT_TYPES;
    }
    if (!type.equals("inline_keyboard")) {
      return null;
    }
    if (!(attachment.getValue("payload") instanceof JsonObject payload)
        || !(payload.getValue("buttons") instanceof JsonArray rows) || rows.isEmpty()) {
      return path + ".payload.buttons must be a non-empty array of rows";
    }
    if (rows.size() > MAX_ROWS) {
      return path + ".payload.buttons has " + rows.size() + " rows, at most " + MAX_ROWS + " allowed";
    }
    int total = 0;
    for (int r = 0; r < rows.size(); r++) {
      String rowPath = path + ".payload.buttons[" + r + "]";
      if (!(rows.getValue(r) instanceof JsonArray row) || row.isEmpty()) {
        return rowPath + " must be a non-empty array of buttons";
      }
      boolean wide = false;
      for (int b = 0; b < row.size(); b++) {
        String invalid = checkButton(row.getValue(b), rowPath + "[" + b + "]");
        if (invalid != null) {
          return invalid;
        }
        wide |= WIDE_BUTTONS.contains(row.getJsonObject(b).getString("type"));
      }
      int perRow = wide ? MAX_WIDE_BUTTONS_PER_ROW : MAX_BUTTONS_PER_ROW;
      if (row.size() > perRow) {
        return rowPath + " has " + row.size() + " buttons, at most " + perRow + " allowed"
            + (wide ? " in a row with a link, open_app, request_geo_location or request_contact button" : "");
      }
      total += row.size();
    }
    return total > MAX_BUTTONS ? path + " has " + total + " buttons, at most " + MAX_BUTTONS + " allowed" : null;
  }

  private static String checkButton(Object value, String path) {
    if (!(value instanceof JsonObject button) || !(button.getValue("type") instanceof String type)
        || !BUTTON_TYPES.contains(type)) {
      return path + ".type must be one of " + BUTTON_TYPES;
    }
    String invalid = checkString(button, "text", 1, MAX_BUTTON_TEXT, true, path);
    if (invalid != null) {
      return invalid;
    }
    return switch (type) {
      case "callback", "clipboard" -> checkString(button, "payload", 1, 1024, true, path);
      case "link" -> checkString(button, "url", 1, 2048, true, path);
      case "open_app" -> {
        String webApp = checkString(button, "web_app", 1, Integer.MAX_VALUE, true, path);
        yield webApp != null ? webApp : checkString(button, "payload", 0, 512, false, path);
      }
      default -> null;
    };
  }

  private static String checkString(JsonObject holder, String field, int min, int max, boolean required, String path) {
    Object value = holder.getValue(field);
    if (value == null) {
      return required ? path + "." + field + " is required" : null;
    }
    if (!(value instanceof String s)) {
      return path + "." + field + " must be a string";
    }
    int length = s.codePointCount(0, s.length());
    return length < min || length > max
        ? path + "." + field + " must be " + min + ".." + max + " characters, not " + length : null;
  }

  // ---------------------------------------------------------------- subscriptions and updates

  private Answer subscribe(Exchange x) {
    Object url = x.body == null ? null : x.body.getValue("url");
    if (!(url instanceof String address) || !address.startsWith("https://")) {
      return badRequest("url must start with https://");
    }
    Object secret = x.body.getValue("secret");
    if (secret != null && !(secret instanceof String s && SECRET.matcher(s).matches())) {
      return badRequest("secret must be 5-256 characters of A-Z, a-z, 0-9, _ and -");
    }
    Object types = x.body.getValue("update_types");
    if (types != null && !(types instanceof JsonArray list && list.stream().allMatch(t -> t instanceof String))) {
      return badRequest("update_types must be an array of strings");
    }
    subscriptions.put(address, withoutNulls(new JsonObject().put("url", address).put("time", System.currentTimeMillis())
        .put("update_types", types).put("secret", secret)));
    return success();
  }

  /** The subscriptions without their secrets: MAX never gives a secret back. */
  private Answer listSubscriptions() {
    JsonArray listed = new JsonArray();
    for (JsonObject subscription : subscriptions.values()) {
      JsonObject copy = subscription.copy();
      copy.remove("secret");
      listed.add(copy);
    }
    return ok(new JsonObject().put("subscriptions", listed));
  }

  private Answer unsubscribe(Exchange x) {
    String url = x.query.getString("url");
    if (url == null || url.isBlank()) {
      return badRequest("url is required");
    }
    return subscriptions.remove(url) != null ? success()
        : ok(new JsonObject().put("success", false).put("message", "No subscription for " + url));
  }

  private Answer getUpdates(Exchange x) {
    String markerParam = x.query.getString("marker");
    boolean noMarker = markerParam == null || markerParam.isEmpty() || markerParam.equals("null");
    Long marker = noMarker ? null : integerParam(x.query, "marker");
    markersSeen.add(marker);
    notifyAll();
    if (!subscriptions.isEmpty()) {
      return error(405, "method.not.allowed", "Long polling is not available while a webhook subscription is active");
    }
    Long limit = numberParam(x.query, "limit", 100, 1, 1000);
    Long timeout = numberParam(x.query, "timeout", 30, 0, 90);
    if (limit == null || timeout == null || (!noMarker && marker == null)) {
      return badRequest("limit must be 1..1000, timeout 0..90 and marker an integer");
    }
    if (marker != null) {
      // Passing a marker commits every update before it.
      updates.headMap(marker).clear();
    }
    String typeList = x.query.getString("types");
    Set<String> types = typeList == null || typeList.isBlank() ? null : Set.copyOf(Arrays.asList(typeList.split(",")));
    UpdateBatch batch = batch(types, limit.intValue());
    if (!batch.updates.isEmpty() || timeout == 0) {
      return ok(batch.json());
    }
    Poll poll = new Poll(x, types, limit.intValue());
    poll.timer = vertx.setTimer(TimeUnit.SECONDS.toMillis(timeout), id -> {
      synchronized (this) {
        if (parkedPolls.remove(poll)) {
          respond(x, ok(batch(types, poll.limit).json()));
        }
      }
    });
    parkedPolls.add(poll);
    x.rc.response().closeHandler(v -> {
      synchronized (this) {
        if (parkedPolls.remove(poll)) {
          vertx.cancelTimer(poll.timer);
          calls.add(new RecordedCall(x.method, x.path, x.query.copy(), null, x.atNanos, 0, null));
          notifyAll();
        }
      }
    });
    return null;
  }

  /**
   * The pending updates of {@code types} from the oldest, at most {@code limit}, and the marker that commits them:
   * past the last one returned, or past everything scanned when the batch is not full.
   */
  private UpdateBatch batch(Set<String> types, int limit) {
    List<JsonObject> batch = new ArrayList<>();
    for (Map.Entry<Long, JsonObject> entry : updates.entrySet()) {
      if (types == null || types.contains(entry.getValue().getString("update_type"))) {
        batch.add(entry.getValue().copy());
        if (batch.size() == limit) {
          return new UpdateBatch(batch, entry.getKey() + 1);
        }
      }
    }
    return new UpdateBatch(batch, nextMarker);
  }

  /** What MAX knows of the chats a pushed update names: a user's dialog, a chat's type, a button's message. */
  private void learn(JsonObject update) {
    try {
      learnFrom(update);
    } catch (MalformedUpdateException e) {
      // Nothing to learn from an update MAX would not send.
    }
  }

  private void learnFrom(JsonObject update) {
    String chatType = MaxUpdates.chatType(update);
    MaxUpdates.ReplyTarget target = MaxUpdates.replyTarget(update);
    if (target == null || !target.param().equals(MaxUpdates.ReplyTarget.CHAT)) {
      return;
    }
    long chat = target.id();
    if (chatType != null) {
      chatTypes.put(chat, chatType);
    }
    Long user = MaxUpdates.senderId(update);
    if ("dialog".equals(chatType) && user != null) {
      dialogs.put(user, chat);
    }
    String callbackId = MaxUpdates.callbackId(update);
    if (callbackId != null) {
      callbacks.put(callbackId, new JsonObject().put("chat_id", chat).put("mid", MaxUpdates.messageId(update)));
    }
  }

  // ---------------------------------------------------------------- helpers

  private JsonObject botUser() {
    return new JsonObject().put("user_id", BOT_USER_ID).put("first_name", "Splitbot Test")
        .put("username", "splitbot_test_bot").put("is_bot", true).put("name", "Splitbot Test")
        .put("last_activity_time", System.currentTimeMillis());
  }

  private JsonObject botInfo() {
    return botUser().put("description", "A bot under test").put("commands", new JsonArray());
  }

  /** The parameter as an integer; null when absent or not an integer. */
  private static Long integerParam(JsonObject query, String name) {
    String value = query.getString(name);
    if (value == null || !INTEGER.matcher(value.trim()).matches()) {
      return null;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The parameter within {@code min..max}, {@code absent} when not given, null when invalid. */
  private static Long numberParam(JsonObject query, String name, long absent, long min, long max) {
    if (!query.containsKey(name)) {
      return absent;
    }
    Long value = integerParam(query, name);
    return value == null || value < min || value > max ? null : value;
  }

  private static JsonObject withoutNulls(JsonObject json) {
    json.getMap().values().removeIf(Objects::isNull);
    return json;
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "proto.payload";
      case 401 -> "verify.token";
      case 403 -> "access.denied";
      case 404 -> "not.found";
      case 405 -> "method.not.allowed";
      case 429 -> "too.many.requests";
      case 500 -> "internal.error";
      case 502, 503, 504 -> "service.unavailable";
      default -> "error";
    };
  }

  private static Answer ok(JsonObject body) {
    return new Answer(200, body);
  }

  private static Answer success() {
    return ok(new JsonObject().put("success", true));
  }

  private static Answer badRequest(String message) {
    return error(400, "proto.payload", message);
  }

  private static Answer error(int status, String code, String message) {
    return new Answer(status, new JsonObject().put("code", code).put("message", message));
  }

  private record Answer(int status, JsonObject body) {
  }

  /** A request in flight: where to answer it and what to record. */
  private record Exchange(RoutingContext rc, Context context, String method, String path, JsonObject query,
      JsonObject body, boolean notJson, long atNanos) {
  }

  private record UpdateBatch(List<JsonObject> updates, long marker) {
    JsonObject json() {
      return new JsonObject().put("updates", new JsonArray(new ArrayList<>(updates))).put("marker", marker);
    }
  }

  /** A long poll waiting for updates. */
  private static final class Poll {
    final Exchange exchange;
    final Set<String> types;
    final int limit;
    long timer;

    Poll(Exchange exchange, Set<String> types, int limit) {
      this.exchange = exchange;
      this.types = types;
      this.limit = limit;
    }
  }
}
