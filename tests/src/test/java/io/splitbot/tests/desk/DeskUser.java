package io.splitbot.tests.desk;

import io.splitbot.tests.fakes.FakeTelegramApi;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** One Telegram user in a private chat with the desk bot: sends what a real client would send. */
public final class DeskUser {
  private final DeskHarness harness;
  public final long id;
  public final String firstName;
  public final String lastName;
  public final String language;

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
    return this;
  }

  /** Taps Telegram's "share my phone number" button. */
  public DeskUser sharesContact(String phone) {
    long u = harness.nextUpdateId();
    JsonObject contact = new JsonObject().put("phone_number", phone).put("first_name", firstName).put("user_id", id);
    harness.deliver(new JsonObject().put("update_id", u).put("message", message(u, new JsonObject().put("contact", contact))));
    return this;
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
    return this;
  }

  /** Presses a button whose data the test makes up (a forged or stale button). */
  public DeskUser pressesRaw(String callbackData, long messageId, String messageText) {
    long u = harness.nextUpdateId();
    JsonObject message = new JsonObject().put("message_id", messageId).put("date", 1_758_960_000L)
        .put("chat", chat()).put("from", harness.botUser()).put("text", messageText);
    harness.deliver(new JsonObject().put("update_id", u).put("callback_query", new JsonObject()
        .put("id", "cb" + u).put("from", from()).put("chat_instance", "ci" + id).put("data", callbackData)
        .put("message", message)));
    return this;
  }

  /** Replies to the latest bot message containing {@code quoted}. */
  public DeskUser repliesTo(String quoted, String text) {
    BotScreen.Shown shown = BotScreen.latestContaining(harness.fake(), id, quoted);
    long u = harness.nextUpdateId();
    JsonObject replied = new JsonObject().put("message_id", shown.messageId()).put("date", 1_758_960_000L)
        .put("chat", chat()).put("from", harness.botUser()).put("text", shown.text());
    harness.deliver(new JsonObject().put("update_id", u)
        .put("message", message(u, new JsonObject().put("text", text).put("reply_to_message", replied))));
    return this;
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
