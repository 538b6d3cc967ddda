package io.splitbot.tests.support;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Realistic Telegram updates for tests: text messages, commands, edits and button presses. */
public final class Updates {
  private Updates() {
  }

  public static JsonObject message(long updateId, long chatId, String text) {
    return new JsonObject()
        .put("update_id", updateId)
        .put("message", new JsonObject()
            .put("message_id", updateId)
            .put("date", 1_758_960_000L + updateId)
            .put("chat", chat(chatId))
            .put("from", user(chatId))
            .put("text", text));
  }

  public static JsonObject edited(long updateId, long chatId, String text) {
    JsonObject message = message(updateId, chatId, text).getJsonObject("message").put("edit_date", 1_758_960_100L);
    return new JsonObject().put("update_id", updateId).put("edited_message", message);
  }

  public static JsonObject callback(long updateId, long chatId, String data) {
    return new JsonObject()
        .put("update_id", updateId)
        .put("callback_query", new JsonObject()
            .put("id", "cb" + updateId)
            .put("from", user(chatId))
            .put("chat_instance", "ci" + chatId)
            .put("data", data)
            .put("message", new JsonObject()
                .put("message_id", 1)
                .put("date", 1_758_960_000L)
                .put("chat", chat(chatId))
                .put("text", "card")));
  }

  /** {@code count} /echo commands over {@code chats} chats; each reply's text is "u" + update_id. */
  public static List<JsonObject> echoes(long firstUpdateId, int count, int chats, long firstChatId) {
    List<JsonObject> updates = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long id = firstUpdateId + i;
      updates.add(message(id, firstChatId + (i % chats), "/echo u" + id));
    }
    return updates;
  }

  static JsonObject chat(long chatId) {
    return chatId < 0
        ? new JsonObject().put("id", chatId).put("type", "supergroup").put("title", "Group " + chatId)
        : new JsonObject().put("id", chatId).put("type", "private").put("first_name", "User" + chatId);
  }

  static JsonObject user(long userId) {
    long id = Math.abs(userId);
    return new JsonObject().put("id", id).put("is_bot", false).put("first_name", "User" + id)
        .put("username", "user" + id).put("language_code", "en");
  }
}
