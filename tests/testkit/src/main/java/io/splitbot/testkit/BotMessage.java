package io.splitbot.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A message of the bot in a chat, as a test reads it: its id in the chat, its text, its reply markup (inline buttons,
 * a reply keyboard, or null), and whether this is an edit of a message sent earlier.
 */
public record BotMessage(long messageId, String text, JsonObject replyMarkup, boolean edited) {

  /** The texts of its inline buttons, row after row. */
  public List<String> buttonTexts() {
    List<String> texts = new ArrayList<>();
    inlineButtons().forEach(b -> texts.add(b.getString("text")));
    return texts;
  }

  /** The callback_data of its inline buttons, row after row; buttons without one (a URL, say) are left out. */
  public List<String> buttonData() {
    List<String> data = new ArrayList<>();
    inlineButtons().stream().map(b -> b.getString("callback_data")).filter(d -> d != null).forEach(data::add);
    return data;
  }

  /** True when it shows inline buttons. */
  public boolean hasButtons() {
    return !inlineButtons().isEmpty();
  }

  /** The inline buttons, each a Bot API {@code InlineKeyboardButton}, row after row. */
  public List<JsonObject> inlineButtons() {
    List<JsonObject> buttons = new ArrayList<>();
    JsonArray rows = replyMarkup == null ? null : replyMarkup.getJsonArray("inline_keyboard");
    if (rows != null) {
      for (Object row : rows) {
        for (Object button : (JsonArray) row) {
          buttons.add((JsonObject) button);
        }
      }
    }
    return buttons;
  }

  @Override
  public String toString() {
    List<String> texts = buttonTexts();
    return (edited ? "(edited) " : "") + "#" + messageId + " " + text
        + (texts.isEmpty() ? "" : " " + String.join(" ", texts.stream().map(t -> "[" + t + "]").toList()));
  }

  /** A Bot API {@code Message} as the fake holds it. */
  static BotMessage of(JsonObject message) {
    return new BotMessage(message.getLong("message_id"), message.getString("text"), markup(message.getValue("reply_markup")),
        message.containsKey("edit_date"));
  }

  /** reply_markup as a client sent it: a JSON object, or (in a form) its serialized text. */
  static JsonObject markup(Object value) {
    return value instanceof JsonObject json ? json : value instanceof String text ? new JsonObject(text) : null;
  }
}
