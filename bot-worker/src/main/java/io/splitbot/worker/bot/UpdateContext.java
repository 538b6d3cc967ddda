package io.splitbot.worker.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One update as its handlers see it, with the ways to answer it. */
public final class UpdateContext {
  private final long updateId;
  private final JsonObject update;
  private final String chatKey;
  private final BotCalls calls;

  public UpdateContext(long updateId, JsonObject update, String chatKey, BotCalls calls) {
    this.updateId = updateId;
    this.update = update;
    this.chatKey = chatKey;
    this.calls = calls;
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

  public Future<Object> call(String method, JsonObject params) {
    return calls.call(method, params);
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
    return reply(text, null);
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
