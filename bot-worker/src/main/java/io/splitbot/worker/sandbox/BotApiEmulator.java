package io.splitbot.worker.sandbox;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Telegram Bot API on a real HTTP server at 127.0.0.1, with no Telegram behind it: the sandbox runs the bot
 * against it, and the testkit's {@code FakeTelegramApi} adds its test controls on top.
 *
 * <p>The bot's side speaks the Bot API's wire format: {@code /bot<token>/<method>}, parameters as JSON, form or query
 * string, answers {@code {"ok":true,"result":...}} or {@code {"ok":false,"error_code":N,"description":...}}. It
 * implements getMe, getUpdates (real long polling and its 409 conflicts), setWebhook, deleteWebhook, getWebhookInfo,
 * sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction,
 * setMyCommands and getMyCommands; other methods answer 404. It refuses what Telegram refuses in a bot's texts: a
 * message text over 4096 characters, a caption over 1024, a callback answer over 200, callback_data outside 1-64 bytes
 * and a string that is not valid UTF-8; characters are counted in UTF-16 code units, as Telegram counts them.
 *
 * <p>The users' side is what Telegram's apps do: {@link #sendAsUser} and {@link #pressButton} turn a user's message
 * or button press into the update Telegram would queue, and {@link #onChange} hears every change a chat shows.
 *
 * <p>Every public method is thread-safe: the state is guarded by this object's monitor, which subclasses share.
 */
public class BotApiEmulator {

  /** An answer to one request: its HTTP status and JSON body. */
  public record Answer(int status, JsonObject body) {
  }

  /** A request in flight: where to answer it and what it asked. */
  public record Exchange(RoutingContext rc, Context context, String method, JsonObject params, long atNanos) {
  }

  private static final int MAX_TEXT_LENGTH = 4096;
  private static final int MAX_CALLBACK_TEXT_LENGTH = 200;
  private static final int MAX_CAPTION_LENGTH = 1024;
  private static final int MAX_CALLBACK_DATA_BYTES = 64;
  /** Callback queries a sandbox user sent that the bot has not answered yet, at most (the oldest are forgotten). */
  private static final int OPEN_CALLBACKS = 1000;
  private static final Pattern SECRET_TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,256}");
  private static final Pattern CHAT_ID = Pattern.compile("-?\\d+|@[A-Za-z0-9_]{4,}");
  /** A command as Telegram marks it in a user's text: a slash at a word's start, its name, an optional @bot. */
  private static final Pattern COMMAND = Pattern.compile("(?<![^\\s])/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?");
  private static final Set<String> METHODS = Set.of(
      "getMe", "getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo", "sendMessage", "editMessageText",
      "editMessageReplyMarkup", "deleteMessage", "answerCallbackQuery", "sendChatAction", "setMyCommands",
      "getMyCommands");
  // Telegram takes these as JSON-serialized strings in forms and query strings.
  private static final Set<String> JSON_PARAMS = Set.of(
      "reply_markup", "allowed_updates", "entities", "commands", "link_preview_options", "reply_parameters", "scope");

  protected final Vertx vertx;
  private final String token;
  private final JsonObject botUser;
  private volatile HttpServer server;

  // All state below is guarded by this object's monitor.
  private final TreeMap<Long, JsonObject> updates = new TreeMap<>();
  private final Map<String, ChatState> chats = new HashMap<>();
  private final Map<String, JsonObject> inlineMessages = new HashMap<>();
  private final Map<String, String> openCallbacks = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > OPEN_CALLBACKS;
    }
  };
  private Exchange parkedPoll;
  private long parkedPollTimer;
  private JsonObject webhook;
  private JsonArray commands = new JsonArray();
  private long lastUpdateId;
  private long callbackIds;
  private Consumer<JsonObject> changes = change -> { };

  /** An emulator that serves the bot with this token (other tokens get 401); {@link #start()} it before use. */
  public BotApiEmulator(Vertx vertx, String token, String botFirstName, String botUsername) {
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
        .put("first_name", botFirstName)
        .put("username", botUsername)
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

  /** The bot as getMe answers it (a Bot API {@code User}). */
  public JsonObject botUser() {
    return botUser.copy();
  }

  /** The value for TELEGRAM_API_URL: {@code http://127.0.0.1:<port>}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The port it listens on; throws while it is not started. */
  public int port() {
    HttpServer s = server;
    if (s == null) {
      throw new IllegalStateException("the Bot API emulator is not started");
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

  // ---------------------------------------------------------------- Telegram's side

  /** Queues an update for getUpdates; it must carry a numeric update_id. Releases a waiting long poll. */
  public void enqueueUpdate(JsonObject update) {
    if (!(update.getValue("update_id") instanceof Number id)) {
      throw new IllegalArgumentException("an update needs a numeric update_id: " + update.encode());
    }
    synchronized (this) {
      updates.put(id.longValue(), update.copy());
      lastUpdateId = Math.max(lastUpdateId, id.longValue());
      if (parkedPoll != null) {
        long offset = longParam(parkedPoll.params(), "offset", 0);
        JsonArray batch = batch(offset, limit(parkedPoll.params()));
        if (!batch.isEmpty()) {
          answerWaitingPoll(ok(batch));
        }
      }
    }
  }

  /** Updates not yet confirmed by an offset. */
  public synchronized int pendingUpdates() {
    return updates.size();
  }

  /** The webhook as last set (url, secret_token, allowed_updates, max_connections), or null if none. */
  public synchronized JsonObject webhookInfo() {
    return webhook == null ? null : webhook.copy();
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

  /**
   * From now on {@code listener} hears each change a chat shows, as one JSON object with {@code type} and
   * {@code chat_id}: {@code message} (a user's or the bot's, with {@code parse_mode} when the bot gave one),
   * {@code edit}, {@code delete} (message_id), {@code toast} (a callback answer: text, show_alert) and
   * {@code action} (a chat action such as typing). It runs under the emulator's lock: it must be quick.
   */
  public synchronized void onChange(Consumer<JsonObject> listener) {
    changes = Objects.requireNonNull(listener, "listener");
  }

  // ---------------------------------------------------------------- the users' side (Telegram's apps)

  /**
   * A user sends a message to {@code chat} (a Bot API {@code Chat}): {@code fields} are its content (text, contact,
   * reply_to_message_id). A text gets its {@code bot_command} entities, as Telegram marks them. Returns the update
   * queued for the bot.
   */
  public synchronized JsonObject sendAsUser(JsonObject chat, JsonObject from, JsonObject fields) {
    ChatState state = chats.computeIfAbsent(String.valueOf(chat.getValue("id")), ChatState::new);
    JsonObject message = new JsonObject()
        .put("message_id", ++state.lastMessageId)
        .put("from", from.copy())
        .put("chat", chat.copy())
        .put("date", System.currentTimeMillis() / 1000);
    fields.forEach(e -> {
      if (!e.getKey().equals("reply_to_message_id")) {
        message.put(e.getKey(), e.getValue());
      }
    });
    if (fields.getValue("reply_to_message_id") instanceof Number replied && state.messages.get(replied.longValue()) != null) {
      message.put("reply_to_message", state.messages.get(replied.longValue()).copy());
    }
    if (message.getValue("text") instanceof String text) {
      JsonArray entities = commandEntities(text);
      if (!entities.isEmpty()) {
        message.put("entities", entities);
      }
    }
    changed("message", state.key, new JsonObject().put("message", message.copy()));
    JsonObject update = new JsonObject().put("update_id", lastUpdateId + 1).put("message", message);
    enqueueUpdate(update);
    return update.copy();
  }

  /**
   * A user presses the inline button with {@code data} on the bot's message {@code messageId} in chat {@code chatId}.
   * Returns the update queued for the bot, or null when the chat shows no such button (a client cannot press it).
   */
  public synchronized JsonObject pressButton(String chatId, JsonObject from, long messageId, String data) {
    ChatState state = chats.get(chatId);
    JsonObject message = state == null ? null : state.messages.get(messageId);
    if (message == null || !hasButton(message, data)) {
      return null;
    }
    String id = "sandbox-" + (++callbackIds);
    openCallbacks.put(id, chatId);
    JsonObject query = new JsonObject()
        .put("id", id)
        .put("from", from.copy())
        .put("chat_instance", "ci" + chatId)
        .put("data", data)
        .put("message", message.copy());
    JsonObject update = new JsonObject().put("update_id", lastUpdateId + 1).put("callback_query", query);
    enqueueUpdate(update);
    return update.copy();
  }

  private static boolean hasButton(JsonObject message, String data) {
    if (!(message.getValue("reply_markup") instanceof JsonObject markup)
        || !(markup.getValue("inline_keyboard") instanceof JsonArray rows)) {
      return false;
    }
    for (Object row : rows) {
      for (Object button : row instanceof JsonArray r ? r : new JsonArray()) {
        if (button instanceof JsonObject b && data.equals(b.getValue("callback_data"))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The {@code bot_command} entities of a user's text, offsets in UTF-16 code units as Telegram gives them. */
  static JsonArray commandEntities(String text) {
    JsonArray entities = new JsonArray();
    Matcher m = COMMAND.matcher(text);
    while (m.find()) {
      entities.add(new JsonObject().put("offset", m.start()).put("length", m.end() - m.start()).put("type", "bot_command"));
    }
    return entities;
  }

  private void changed(String type, String chatKey, JsonObject detail) {
    changes.accept(detail.put("type", type).put("chat_id", chatKey));
  }

  // ---------------------------------------------------------------- hooks for the testkit's fake

  /** An answer to use instead of the method's own (an injected failure), checked first; null to go on. */
  protected Answer injected(Exchange exchange) {
    return null;
  }

  /** A test's own answer to {@code method} (also to a built-in one), applied after the rules; null for none. */
  protected Function<JsonObject, Object> customAnswer(String method) {
    return null;
  }

  /** A refusal after the rules and before the method runs (rate limits); null to go on. */
  protected Answer admit(Exchange exchange) {
    return null;
  }

  /** The next getUpdates answer given verbatim, before the queue is looked at; null to answer from the queue. */
  protected JsonArray rawUpdatesResult() {
    return null;
  }

  /** Each getUpdates call's offset (0 when it has none). */
  protected void polled(long offset) {
  }

  /**
   * Each request as answered: {@code status} 0 if the client left before an answer, {@code result} what a successful
   * call answered. Runs under the lock; waiters on this object's monitor are woken after it.
   */
  protected void recorded(Exchange exchange, int status, Object result) {
  }

  /** Sends a decided answer; a subclass may hold it back or delay it ({@link #recordOnly}, {@link #write}). */
  protected void deliver(Exchange exchange, Answer answer) {
    respond(exchange, answer);
  }

  /** Whether a long poll is waiting for updates. */
  protected synchronized boolean pollWaiting() {
    return parkedPoll != null;
  }

  /** Answers a waiting long poll now with {@code answer}; false when none is waiting. */
  protected synchronized boolean answerWaitingPoll(Answer answer) {
    if (parkedPoll == null) {
      return false;
    }
    Exchange poll = parkedPoll;
    parkedPoll = null;
    vertx.cancelTimer(parkedPollTimer);
    respond(poll, answer);
    return true;
  }

  /** Back to no updates, webhook, commands or messages; a waiting long poll gets an empty answer. */
  protected synchronized void clear() {
    answerWaitingPoll(ok(new JsonArray()));
    updates.clear();
    chats.clear();
    inlineMessages.clear();
    openCallbacks.clear();
    webhook = null;
    commands = new JsonArray();
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
      if (answer != null) {
        deliver(exchange, answer);
      }
    }
  }

  /** The answer to a request, or null when it is a long poll left waiting. */
  private Answer answer(Exchange exchange) {
    String method = exchange.method();
    JsonObject p = exchange.params();
    Answer early = injected(exchange);
    if (early != null) {
      return early;
    }
    Function<JsonObject, Object> override = customAnswer(method);
    if (override == null && !METHODS.contains(method)) {
      return error(404, "Not Found");
    }
    Answer refused = refusedByLimits(p);
    if (refused == null) {
      refused = admit(exchange);
    }
    if (refused != null) {
      return refused;
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
   * Telegram's documented rules that hold for any method: a string with half a surrogate pair (invalid UTF-8 once
   * decoded), a caption over 1024 characters (UTF-16 units, as Telegram counts; also in a media group's items), and an
   * inline button's callback_data outside 1-64 bytes. A message's text (4096) and a callback answer's text (200) are
   * checked by their methods.
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
  protected final void respond(Exchange exchange, Answer answer) {
    recordOnly(exchange, answer);
    write(exchange, answer);
  }

  /** Records a decided answer without writing it (a subclass writes it later, or never). */
  protected final synchronized void recordOnly(Exchange exchange, Answer answer) {
    Object result = answer.body().getValue("result");
    recorded(exchange, answer.status(),
        result instanceof JsonObject json ? json.copy() : result instanceof JsonArray array ? array.copy() : result);
    notifyAll();
  }

  /** Writes the answer on the request's own context; a client that has gone meanwhile gets nothing. */
  protected final void write(Exchange exchange, Answer answer) {
    Runnable write = () -> {
      if (!exchange.rc().response().closed() && !exchange.rc().response().ended()) {
        exchange.rc().response()
            .setStatusCode(answer.status())
            .putHeader("Content-Type", "application/json")
            .end(answer.body().encode());
      }
    };
    if (Vertx.currentContext() == exchange.context()) {
      write.run();
    } else {
      exchange.context().runOnContext(v -> write.run());
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
    JsonObject p = exchange.params();
    long offset = longParam(p, "offset", 0);
    polled(offset);
    JsonArray raw = rawUpdatesResult();
    if (raw != null) {
      return ok(raw);
    }
    if (webhook != null) {
      return error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    answerWaitingPoll(error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));
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
    exchange.rc().response().closeHandler(v -> {
      synchronized (this) {
        if (parkedPoll == exchange) {
          parkedPoll = null;
          vertx.cancelTimer(parkedPollTimer);
          recorded(exchange, 0, null);
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
    if (p.getValue("entities") instanceof JsonArray entities) {
      message.put("entities", entities.copy());
    }
    if (p.getValue("reply_markup") != null) {
      message.put("reply_markup", p.getValue("reply_markup"));
    }
    chat.messages.put(chat.lastMessageId, message);
    changed("message", chatKey, formatted(new JsonObject().put("message", message.copy()), p));
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
      // Inline messages come from inline queries the emulator does not model: any id is accepted once.
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
    if (withText) {
      if (p.getValue("entities") instanceof JsonArray entities) {
        current.put("entities", entities.copy());
      } else {
        current.remove("entities");
      }
    }
    if (markup == null) {
      current.remove("reply_markup");
    } else {
      current.put("reply_markup", markup);
    }
    current.put("edit_date", System.currentTimeMillis() / 1000);
    if (inlineId != null) {
      return ok(true);
    }
    JsonObject edit = new JsonObject().put("message", current.copy());
    changed("edit", chatKey(p), withText ? formatted(edit, p) : edit);
    return ok(current.copy());
  }

  /** A change with the parse_mode the bot gave, so a client can show the text as the bot formatted it. */
  private static JsonObject formatted(JsonObject change, JsonObject p) {
    String parseMode = stringParam(p, "parse_mode");
    return parseMode == null ? change : change.put("parse_mode", parseMode);
  }

  private Answer deleteMessage(JsonObject p) {
    ChatState chat = chats.get(Objects.requireNonNullElse(chatKey(p), ""));
    long messageId = longParam(p, "message_id", -1);
    if (chat == null || chat.messages.remove(messageId) == null) {
      return badRequest("message to delete not found");
    }
    changed("delete", chat.key, new JsonObject().put("message_id", messageId));
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
    String chatKey = openCallbacks.remove(id);
    if (chatKey != null && text != null && !text.isEmpty()) {
      changed("toast", chatKey, new JsonObject().put("text", text).put("show_alert", boolParam(p, "show_alert")));
    }
    return ok(true);
  }

  private Answer sendChatAction(JsonObject p) {
    String chatKey = chatKey(p);
    if (chatKey == null || chatKey.isBlank()) {
      return badRequest("chat_id is empty");
    }
    String action = stringParam(p, "action");
    if (action == null) {
      return badRequest("wrong parameter action in request");
    }
    changed("action", chatKey, new JsonObject().put("action", action));
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

  /** Whether Telegram's flood limits count this method: send* (not chat actions), copies and forwards. */
  protected static boolean isMessage(String method) {
    return (method.startsWith("send") && !method.equals("sendChatAction"))
        || method.startsWith("copyMessage")
        || method.startsWith("forwardMessage");
  }

  /** The chat a call addresses, as its key: the chat_id as given, trimmed; null without one. */
  protected static String chatKey(JsonObject p) {
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

  protected static Answer ok(Object result) {
    return new Answer(200, new JsonObject().put("ok", true).put("result", result));
  }

  protected static Answer badRequest(String what) {
    return error(400, "Bad Request: " + what);
  }

  protected static Answer error(int status, String description) {
    return error(status, description, 0);
  }

  protected static Answer error(int status, String description, int retryAfter) {
    JsonObject body = new JsonObject().put("ok", false).put("error_code", status).put("description", description);
    if (retryAfter > 0) {
      body.put("parameters", new JsonObject().put("retry_after", retryAfter));
    }
    return new Answer(status, body);
  }

  /** One chat: the bot's messages in it by id; users' messages take ids from the same sequence, as in Telegram. */
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
