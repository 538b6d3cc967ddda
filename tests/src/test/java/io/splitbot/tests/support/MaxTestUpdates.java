package io.splitbot.tests.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Realistic MAX updates (docs/MAX.md §3) for a user in their dialog with the bot: the Start press, messages, button presses. */
public final class MaxTestUpdates {
  /** The bot's own user id, as FakeMaxApi answers GET /me. */
  public static final long BOT = 9_000_001L;

  private MaxTestUpdates() {
  }

  public static JsonObject user(long userId) {
    return new JsonObject().put("user_id", userId).put("first_name", "Max" + userId).put("last_name", "User")
        .put("username", "max_user_" + userId).put("is_bot", false).put("last_activity_time", 1_775_025_580_000L)
        .put("name", "Max" + userId + " User");
  }

  /** The user pressed Start in the dialog {@code chatId}. */
  public static JsonObject botStarted(long chatId, long userId, long at) {
    return new JsonObject().put("update_type", "bot_started").put("timestamp", at).put("chat_id", chatId)
        .put("user", user(userId)).put("user_locale", "ru");
  }

  /** A text message from the user in their dialog; {@code mid} is the message's own id. */
  public static JsonObject message(long chatId, long userId, String mid, long at, String text) {
    return new JsonObject().put("update_type", "message_created").put("timestamp", at).put("user_locale", "ru")
        .put("message", new JsonObject()
            .put("sender", user(userId))
            .put("recipient", new JsonObject().put("chat_id", chatId).put("chat_type", "dialog").put("user_id", BOT))
            .put("timestamp", at)
            .put("body", new JsonObject().put("mid", mid).put("seq", at).put("text", text)));
  }

  /** The user pressed a callback button carrying {@code payload} on the bot's message {@code mid}. */
  public static JsonObject callback(long chatId, long userId, String callbackId, String payload, String mid, long at) {
    JsonObject keyboard = new JsonObject().put("type", "inline_keyboard").put("payload", new JsonObject().put("buttons",
        new JsonArray().add(new JsonArray().add(new JsonObject().put("type", "callback").put("text", "Press")
            .put("payload", payload)))));
    return new JsonObject().put("update_type", "message_callback").put("timestamp", at).put("user_locale", "ru")
        .put("callback", new JsonObject().put("timestamp", at).put("callback_id", callbackId).put("payload", payload)
            .put("user", user(userId)))
        .put("message", new JsonObject()
            .put("sender", new JsonObject().put("user_id", BOT).put("first_name", "Bot").put("is_bot", true))
            .put("recipient", new JsonObject().put("chat_id", chatId).put("chat_type", "dialog").put("user_id", userId))
            .put("timestamp", at - 1)
            .put("body", new JsonObject().put("mid", mid).put("seq", at - 1).put("text", "started")
                .put("attachments", new JsonArray().add(keyboard))));
  }

  /**
   * A text message that replies to {@code replied} (a MAX {@code Message} as the fake keeps it): its {@code link} of
   * type reply carries the replied-to message's sender, chat and body.
   */
  public static JsonObject reply(long chatId, long userId, String mid, long at, String text, JsonObject replied) {
    JsonObject update = message(chatId, userId, mid, at, text);
    update.getJsonObject("message").put("link", new JsonObject().put("type", "reply")
        .put("sender", replied.getJsonObject("sender"))
        .put("chat_id", replied.getJsonObject("recipient").getLong("chat_id"))
        .put("message", replied.getJsonObject("body").copy()));
    return update;
  }
}
