package io.splitbot.tests.desk;

import io.splitbot.testkit.FakeTelegramApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a user sees in a private chat with the bot, rebuilt from the calls the fake Bot API recorded: each
 * sendMessage is a message (ids counted per chat, as the fake numbers them), each editMessageText changes one.
 */
public final class BotScreen {
  /** One bot message as it is now. */
  public record Shown(long messageId, String text, JsonObject markup) {
    /** Every callback_data of its inline buttons. */
    public List<String> buttons() {
      List<String> out = new ArrayList<>();
      if (markup != null && markup.getJsonArray("inline_keyboard") != null) {
        for (Object row : markup.getJsonArray("inline_keyboard")) {
          for (Object b : (JsonArray) row) {
            String data = ((JsonObject) b).getString("callback_data");
            if (data != null) {
              out.add(data);
            }
          }
        }
      }
      return out;
    }

    public List<String> buttonLabels() {
      List<String> out = new ArrayList<>();
      if (markup != null && markup.getJsonArray("inline_keyboard") != null) {
        for (Object row : markup.getJsonArray("inline_keyboard")) {
          for (Object b : (JsonArray) row) {
            out.add(((JsonObject) b).getString("text"));
          }
        }
      }
      return out;
    }
  }

  private BotScreen() {
  }

  public static List<Shown> of(FakeTelegramApi fake, long chatId) {
    Map<Long, Shown> messages = new LinkedHashMap<>();
    long next = 0;
    String chat = String.valueOf(chatId);
    for (FakeTelegramApi.RecordedCall call : fake.calls()) {
      JsonObject p = call.params();
      if (!chat.equals(String.valueOf(p.getValue("chat_id")))) {
        continue;
      }
      JsonObject markup = p.getValue("reply_markup") instanceof JsonObject m ? m
          : p.getValue("reply_markup") instanceof String s ? new JsonObject(s) : null;
      if (call.method().equals("sendMessage")) {
        next++;
        messages.put(next, new Shown(next, p.getString("text"), markup));
      } else if (call.method().equals("editMessageText")) {
        long id = p.getLong("message_id");
        if (messages.containsKey(id)) {
          messages.put(id, new Shown(id, p.getString("text"), markup));
        }
      }
    }
    return new ArrayList<>(messages.values());
  }

  /** The latest message carrying a button with this callback data. */
  public static Shown withButton(FakeTelegramApi fake, long chatId, String callbackData) {
    List<Shown> all = of(fake, chatId);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).buttons().contains(callbackData)) {
        return all.get(i);
      }
    }
    throw new AssertionError("no message in chat " + chatId + " has a button " + callbackData + "; the chat shows:\n"
        + String.join("\n---\n", all.stream().map(s -> s.text() + " " + s.buttons()).toList()));
  }

  public static Shown latestContaining(FakeTelegramApi fake, long chatId, String text) {
    List<Shown> all = of(fake, chatId);
    for (int i = all.size() - 1; i >= 0; i--) {
      if (Objects.requireNonNullElse(all.get(i).text(), "").contains(text)) {
        return all.get(i);
      }
    }
    throw new AssertionError("no message in chat " + chatId + " contains '" + text + "'");
  }
}
