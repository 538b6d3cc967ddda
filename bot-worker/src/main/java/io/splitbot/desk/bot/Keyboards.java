package io.splitbot.desk.bot;

import io.splitbot.worker.bot.Button;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The desk's inline buttons, in rows; each platform draws them its own way (UpdateContext does). */
public final class Keyboards {
  /** Telegram's limit on callback data, in bytes (MAX takes up to 1024 characters): the desk keeps to the smaller. */
  public static final int MAX_CALLBACK_BYTES = 64;

  private Keyboards() {
  }

  public static Button button(String text, String callbackData) {
    if (callbackData.getBytes(StandardCharsets.UTF_8).length > MAX_CALLBACK_BYTES) {
      throw new IllegalArgumentException("callback data over 64 bytes: " + callbackData);
    }
    return new Button(text, callbackData);
  }

  /** One button per row. */
  public static List<List<Button>> column(Button... buttons) {
    List<List<Button>> rows = new ArrayList<>();
    for (Button b : buttons) {
      rows.add(List.of(b));
    }
    return rows;
  }

  /** All in one row. */
  public static List<List<Button>> row(Button... buttons) {
    return List.of(List.of(buttons));
  }

  /** {@code buttons} in rows of {@code perRow}. */
  public static List<List<Button>> grid(List<Button> buttons, int perRow) {
    List<List<Button>> rows = new ArrayList<>();
    for (int i = 0; i < buttons.size(); i += perRow) {
      rows.add(List.copyOf(buttons.subList(i, Math.min(i + perRow, buttons.size()))));
    }
    return rows;
  }
}
