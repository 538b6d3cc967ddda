package io.splitbot.tests.desk;

import io.splitbot.testkit.FakeTelegramApi;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One Telegram user in a private chat with the desk bot: sends what a real client would send. */
public final class DeskUser {
  private final DeskHarness harness;
  public final long id;
  public final String firstName;
  public final String lastName;
  public final String language;

  private final List<String> transcript = new java.util.ArrayList<>();
  private int seen;

  DeskUser(DeskHarness harness, long id, String firstName, String lastName, String language) {
    this.harness = harness;
    this.id = id;
    this.firstName = firstName;
    this.lastName = lastName;
    this.language = language;
  }

  public JsonObject from() {
    JsonObject from = new JsonObject().put("id", id).put("is_bot", false).put("first_name", firstName)
        .put("username", firstName.toLowerCase() + id);
    if (lastName != null) {
      from.put("last_name", lastName);
    }
    if (language != null) {
      from.put("language_code", language);
    }
    return from;
  }

  private JsonObject chat() {
    return new JsonObject().put("id", id).put("type", "private").put("first_name", firstName);
  }

  private JsonObject message(long updateId, JsonObject extra) {
    return new JsonObject().put("message_id", 10_000 + updateId).put("date", 1_758_960_000L + updateId)
        .put("chat", chat()).put("from", from()).mergeIn(extra);
  }

  /** Sends a text message and waits until the worker has handled it. */
  public DeskUser says(String text) {
    long u = harness.nextUpdateId();
    harness.deliver(new JsonObject().put("update_id", u).put("message", message(u, new JsonObject().put("text", text))));
    return noted("you: " + text);
  }

  /** Taps Telegram's "share my phone number" button. */
  public DeskUser sharesContact(String phone) {
    long u = harness.nextUpdateId();
    JsonObject contact = new JsonObject().put("phone_number", phone).put("first_name", firstName).put("user_id", id);
    harness.deliver(new JsonObject().put("update_id", u).put("message", message(u, new JsonObject().put("contact", contact))));
    return noted("you: (share contact " + phone + ")");
  }

  /** Presses the inline button with this callback data on the latest message that has it. */
  public DeskUser presses(String callbackData) {
    BotScreen.Shown shown = BotScreen.withButton(harness.fake(), id, callbackData);
    long u = harness.nextUpdateId();
    JsonObject message = new JsonObject().put("message_id", shown.messageId()).put("date", 1_758_960_000L)
        .put("chat", chat()).put("from", harness.botUser()).put("text", shown.text());
    harness.deliver(new JsonObject().put("update_id", u).put("callback_query", new JsonObject()
        .put("id", "cb" + u).put("from", from()).put("chat_instance", "ci" + id).put("data", callbackData)
        .put("message", message)));
    return noted("you: [" + label(shown, callbackData) + "]");
  }

  private static String label(BotScreen.Shown shown, String data) {
    int i = shown.buttons().indexOf(data);
    return i >= 0 && i < shown.buttonLabels().size() ? shown.buttonLabels().get(i) : data;
  }

  /** What happened in this chat, as a transcript: the user's messages and presses, the bot's answers. */
  public List<String> transcript() {
    return List.copyOf(transcript);
  }

  private DeskUser noted(String line) {
    transcript.add(line);
    List<FakeTelegramApi.RecordedCall> calls = harness.fake().calls().stream()
        .filter(c -> String.valueOf(id).equals(String.valueOf(c.params().getValue("chat_id"))) || c.method().equals("answerCallbackQuery"))
        .toList();
    for (FakeTelegramApi.RecordedCall c : calls.subList(Math.min(seen, calls.size()), calls.size())) {
      String text = c.params().getString("text");
      switch (c.method()) {
        case "sendMessage" -> transcript.add("bot: " + text + buttons(c.params()));
        case "editMessageText" -> transcript.add("bot (edits its message): " + text + buttons(c.params()));
        case "answerCallbackQuery" -> {
          if (text != null) {
            transcript.add("bot (notice): " + text);
          }
        }
        default -> {
        }
      }
    }
    seen = calls.size();
    return this;
  }

  private static String buttons(JsonObject params) {
    Object markup = params.getValue("reply_markup");
    JsonObject m = markup instanceof JsonObject j ? j : markup instanceof String s ? new JsonObject(s) : null;
    if (m == null) {
      return "";
    }
    List<String> labels = new java.util.ArrayList<>();
    for (String kind : new String[] {"inline_keyboard", "keyboard"}) {
      if (m.getJsonArray(kind) != null) {
        m.getJsonArray(kind).forEach(row -> ((io.vertx.core.json.JsonArray) row).forEach(b -> labels.add(((JsonObject) b).getString("text"))));
      }
    }
    return labels.isEmpty() ? "" : "\n     " + String.join(" ", labels.stream().map(l -> "[" + l + "]").toList());
  }

  /** Presses a button whose data the test makes up (a forged or stale button). */
  public DeskUser pressesRaw(String callbackData, long messageId, String messageText) {
    long u = harness.nextUpdateId();
    JsonObject message = new JsonObject().put("message_id", messageId).put("date", 1_758_960_000L)
        .put("chat", chat()).put("from", harness.botUser()).put("text", messageText);
    harness.deliver(new JsonObject().put("update_id", u).put("callback_query", new JsonObject()
        .put("id", "cb" + u).put("from", from()).put("chat_instance", "ci" + id).put("data", callbackData)
        .put("message", message)));
    return noted("you: [" + callbackData + "]");
  }

  /** Replies to the latest bot message containing {@code quoted}. */
  public DeskUser repliesTo(String quoted, String text) {
    BotScreen.Shown shown = BotScreen.latestContaining(harness.fake(), id, quoted);
    long u = harness.nextUpdateId();
    JsonObject replied = new JsonObject().put("message_id", shown.messageId()).put("date", 1_758_960_000L)
        .put("chat", chat()).put("from", harness.botUser()).put("text", shown.text());
    harness.deliver(new JsonObject().put("update_id", u)
        .put("message", message(u, new JsonObject().put("text", text).put("reply_to_message", replied))));
    return noted("you (replying to \"" + quoted + "\"): " + text);
  }

  public FakeTelegramApi harnessFake() {
    return harness.fake();
  }

  public List<BotScreen.Shown> screen() {
    return BotScreen.of(harness.fake(), id);
  }

  public BotScreen.Shown last() {
    List<BotScreen.Shown> all = screen();
    if (all.isEmpty()) {
      throw new AssertionError("the bot sent nothing to user " + id);
    }
    return all.get(all.size() - 1);
  }

  public String lastText() {
    return last().text();
  }

  /** sendMessage calls to this user so far. */
  public List<FakeTelegramApi.RecordedCall> sent() {
    return harness.fake().calls("sendMessage").stream()
        .filter(c -> String.valueOf(id).equals(String.valueOf(c.params().getValue("chat_id")))).toList();
  }

  /** answerCallbackQuery texts for this user's presses. */
  public List<String> callbackAnswers() {
    return harness.fake().calls("answerCallbackQuery").stream()
        .map(c -> c.params().getString("text"))
        .filter(java.util.Objects::nonNull).toList();
  }
}
