package io.splitbot.worker.bot;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One update as its handlers see it, with the ways to answer it. Handlers run on an event loop: never block it
 * (no JDBC, no sleeping, no blocking HTTP); run blocking code through {@link #blocking(Callable)}.
 */
public final class UpdateContext {
  /** The update types a Telegram update may carry, in the order the Bot API documents them. */
  private static final List<String> TYPES = List.of("message", "edited_message", "channel_post", "edited_channel_post",
      "business_connection", "business_message", "edited_business_message", "deleted_business_messages",
      "message_reaction", "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query",
      "shipping_query", "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member",
      "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost");

  private final Vertx vertx;
  private final long updateId;
  private final JsonObject update;
  private final String chatKey;
  private final BotCalls calls;
  private final JsonObject session;

  /**
   * @param session this chat's session, loaded by the runtime; what the handler leaves in it is saved when the
   *     update succeeds
   */
  public UpdateContext(Vertx vertx, long updateId, JsonObject update, String chatKey, BotCalls calls, JsonObject session) {
    this.vertx = vertx;
    this.updateId = updateId;
    this.update = update;
    this.chatKey = chatKey;
    this.calls = calls;
    this.session = session;
  }

  public long updateId() {
    return updateId;
  }

  public JsonObject update() {
    return update;
  }

  /** The chat the update belongs to, as the runtime orders it. */
  public String chatKey() {
    return chatKey;
  }

  /** message, edited_message, or the message a callback button sits on; null for other updates. */
  public JsonObject message() {
    JsonObject m = update.getJsonObject("message");
    if (m == null) {
      m = update.getJsonObject("edited_message");
    }
    if (m == null && callbackQuery() != null) {
      m = callbackQuery().getJsonObject("message");
    }
    return m;
  }

  public JsonObject callbackQuery() {
    return update.getJsonObject("callback_query");
  }

  /** The data of a pressed inline button, or null. */
  public String callbackData() {
    JsonObject query = callbackQuery();
    return query == null ? null : query.getString("data");
  }

  /** The update's type: message, callback_query, my_chat_member, ...; "unknown" for a type this version does not list. */
  public String updateType() {
    for (String type : TYPES) {
      if (update.containsKey(type)) {
        return type;
      }
    }
    return update.fieldNames().stream().filter(f -> !f.equals("update_id")).sorted().findFirst().orElse("unknown");
  }

  /**
   * This chat's state, kept between updates: read and change it in place. It is loaded before the handler runs and
   * saved after it succeeds, in the same step that marks the update handled, so an attempt that fails leaves no
   * trace in it and the next attempt starts from the state before. Values must be JSON.
   */
  public JsonObject session() {
    return session;
  }

  /**
   * Runs blocking code (JDBC, a blocking client, file I/O) on a worker thread and completes on this update's event
   * loop. Calls to one context's blocking code run one at a time.
   */
  public <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work);
  }

  /** The user who caused the update, or null. */
  public JsonObject from() {
    for (String field : new String[] {"message", "edited_message", "callback_query", "inline_query", "my_chat_member"}) {
      JsonObject carrier = update.getJsonObject(field);
      if (carrier != null && carrier.getJsonObject("from") != null) {
        return carrier.getJsonObject("from");
      }
    }
    return null;
  }

  public Long userId() {
    JsonObject from = from();
    return from == null ? null : from.getLong("id");
  }

  /** The chat id to answer in, or null when the update has no chat. */
  public String chatId() {
    JsonObject m = message();
    return m == null || m.getJsonObject("chat") == null ? null : String.valueOf(m.getJsonObject("chat").getValue("id"));
  }

  /** The text of a new message (not an edit), or null. */
  public String text() {
    JsonObject m = update.getJsonObject("message");
    return m == null ? null : m.getString("text");
  }

  /** The command name without slash and bot suffix ("start" for "/start@my_bot x"), or null. */
  public String command() {
    String text = text();
    if (text == null || !text.startsWith("/") || text.length() < 2) {
      return null;
    }
    String head = text.substring(1).split("\\s", 2)[0];
    int at = head.indexOf('@');
    return (at >= 0 ? head.substring(0, at) : head).toLowerCase();
  }

  /** What follows the command, trimmed; empty when nothing does. */
  public String commandArgs() {
    String text = text();
    if (command() == null) {
      return "";
    }
    String[] parts = text.split("\\s", 2);
    return parts.length < 2 ? "" : parts[1].trim();
  }

  public String languageCode() {
    JsonObject from = from();
    return from == null ? null : from.getString("language_code");
  }

  /**
   * Any method of the platform's API, such as {@code call("sendPhoto", params)}: throttled, retried by the same rules
   * as the shortcuts, and recorded in the effect ledger, so a retried update does not send it twice.
   */
  public Future<Object> call(String method, JsonObject params) {
    return calls.call(method, params);
  }

  /** sendMessage with inline buttons, one list per row. */
  public Future<JsonObject> reply(String text, List<List<Button>> rows) {
    return reply(text, new JsonObject().put("reply_markup", Button.keyboard(rows)));
  }

  /**
   * Runs {@code effect} at most once for this update, even if the update runs again after a failed attempt or a
   * worker crash; a repeat returns the first run's result. Wrap writes that must not happen twice, such as
   * creating a record. The result is kept as JSON; {@code label} only names it in logs.
   */
  public Future<JsonObject> once(String label, java.util.function.Supplier<Future<JsonObject>> effect) {
    return calls.once(label, () -> effect.get().map(r -> (Object) r)).map(r -> (JsonObject) r);
  }

  public Future<JsonObject> reply(String text) {
    return reply(text, (JsonObject) null);
  }

  /** sendMessage to this update's chat; {@code extra} may carry reply_markup, parse_mode and so on. */
  public Future<JsonObject> reply(String text, JsonObject extra) {
    String chatId = chatId();
    if (chatId == null) {
      return Future.failedFuture(new IllegalStateException("update " + updateId + " has no chat to reply to"));
    }
    return sendMessage(chatId, text, extra);
  }

  public Future<JsonObject> sendMessage(String chatId, String text, JsonObject extra) {
    JsonObject params = extra == null ? new JsonObject() : extra.copy();
    params.put("chat_id", chatId).put("text", text);
    return calls.call("sendMessage", params).map(r -> (JsonObject) r);
  }

  public Future<Object> editMessageText(String chatId, long messageId, String text, JsonObject extra) {
    JsonObject params = extra == null ? new JsonObject() : extra.copy();
    params.put("chat_id", chatId).put("message_id", messageId).put("text", text);
    return calls.call("editMessageText", params);
  }

  /** Stops the button's spinner; {@code text}, if any, shows as a short notice. */
  public Future<Void> answerCallbackQuery(String text) {
    JsonObject query = callbackQuery();
    if (query == null) {
      return Future.succeededFuture();
    }
    JsonObject params = new JsonObject().put("callback_query_id", query.getString("id"));
    if (text != null) {
      params.put("text", text);
    }
    return calls.call("answerCallbackQuery", params).mapEmpty();
  }
}
