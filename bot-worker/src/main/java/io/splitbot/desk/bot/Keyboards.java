package io.splitbot.desk.bot;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Telegram reply markups: inline buttons, the share-contact keyboard, and removing a keyboard. */
public final class Keyboards {
  /** Telegram's limit on callback data, in bytes. */
  public static final int MAX_CALLBACK_BYTES = 64;

  private Keyboards() {
  }

  public static JsonObject button(String text, String callbackData) {
    if (callbackData.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CALLBACK_BYTES) {
      throw new IllegalArgumentException("callback data over 64 bytes: " + callbackData);
    }
    return new JsonObject().put("text", text).put("callback_data", callbackData);
  }

  public static JsonObject inline(JsonArray rows) {
    return new JsonObject().put("inline_keyboard", rows);
  }

  /** One button per row. */
  public static JsonObject column(JsonObject... buttons) {
    JsonArray rows = new JsonArray();
    for (JsonObject b : buttons) {
      rows.add(new JsonArray().add(b));
    }
    return inline(rows);
  }

  public static JsonObject row(JsonObject... buttons) {
    JsonArray row = new JsonArray();
    for (JsonObject b : buttons) {
      row.add(b);
    }
    return inline(new JsonArray().add(row));
  }

  /** A reply keyboard with Telegram's "share my phone number" button. */
  public static JsonObject shareContact(String label) {
    return new JsonObject()
        .put("keyboard", new JsonArray().add(new JsonArray().add(new JsonObject().put("text", label).put("request_contact", true))))
        .put("resize_keyboard", true)
        .put("one_time_keyboard", true);
  }

  public static JsonObject removeKeyboard() {
    return new JsonObject().put("remove_keyboard", true);
  }
}
