package io.splitbot.worker.bot;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** An inline button: its label, and the callback data a press sends back (route it with {@code bot.callback}). */
public record Button(String text, String data) {

  /** Rows of buttons as the platform's inline keyboard markup. */
  public static JsonObject keyboard(List<List<Button>> rows) {
    JsonArray keyboard = new JsonArray();
    for (List<Button> row : rows) {
      JsonArray buttons = new JsonArray();
      row.forEach(b -> buttons.add(new JsonObject().put("text", b.text()).put("callback_data", b.data())));
      keyboard.add(buttons);
    }
    return new JsonObject().put("inline_keyboard", keyboard);
  }
}
