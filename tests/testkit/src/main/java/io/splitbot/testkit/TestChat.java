package io.splitbot.testkit;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A private chat between one Telegram user and the bot under test. What the user does ({@link #send}, {@link #press},
 * {@link #shareContact}, ...) is delivered as Telegram would deliver it and returns once the bot has handled it; what
 * the bot did is read back from the fake Bot API ({@link #replies()}, {@link #messages()}). Get one from
 * {@link BotTester#chat(long)}. Use it from one test thread.
 */
public final class TestChat {
  private final BotTester tester;
  private final JsonObject user;
  private final long id;
  private final Set<String> callbackIds = new HashSet<>();
  private final List<String> transcript = new ArrayList<>();
  private int callsSeen;

  TestChat(BotTester tester, JsonObject user) {
    this.tester = tester;
    this.user = user;
    this.id = user.getLong("id");
  }

  /** The chat's id, which for a private chat is the user's id. */
  public long id() {
    return id;
  }

  /** The user, as the {@code from} of the updates this chat sends (a Bot API {@code User}). */
  public JsonObject user() {
    return user.copy();
  }

  // ---------------------------------------------------------------- what the user does

  /** Sends a text message (a command too: {@code "/start"}) and waits until the bot has handled it. */
  public TestChat send(String text) {
    return sendMessage(new JsonObject().put("text", text), "you: " + text);
  }

  /**
   * Sends a message with these fields besides message_id, date, chat and from: a photo, a location, a
   * reply_to_message, ... Waits until the bot has handled it.
   */
  public TestChat sendMessage(JsonObject fields) {
    return sendMessage(fields, "you: " + fields.encode());
  }

  /** Shares the user's own phone number, as Telegram's "share my contact" keyboard button does. */
  public TestChat shareContact(String phoneNumber) {
    JsonObject contact = new JsonObject().put("phone_number", phoneNumber).put("first_name", user.getString("first_name"))
        .put("user_id", id);
    if (user.getString("last_name") != null) {
      contact.put("last_name", user.getString("last_name"));
    }
    return sendMessage(new JsonObject().put("contact", contact), "you: (shares contact " + phoneNumber + ")");
  }

  /** Answers {@code message} with Telegram's "reply" (the update carries it as reply_to_message). */
  public TestChat replyTo(BotMessage message, String text) {
    JsonObject replied = tester.api().messages(String.valueOf(id)).stream()
        .filter(m -> m.getLong("message_id") == message.messageId()).findFirst()
        .orElseThrow(() -> new AssertionError("chat " + id + " no longer shows message " + message));
    return sendMessage(new JsonObject().put("text", text).put("reply_to_message", replied),
        "you (replying to \"" + message.text() + "\"): " + text);
  }

  /**
   * Presses the inline button with this text on the latest message that has inline buttons, and waits until the bot
   * has handled the callback query. Fails when that message has no such button.
   */
  public TestChat press(String buttonText) {
    List<BotMessage> withButtons = messages().stream().filter(BotMessage::hasButtons).toList();
    if (withButtons.isEmpty()) {
      throw new AssertionError("chat " + id + " has no message with inline buttons, so there is no '" + buttonText
          + "' to press; the chat shows:" + listing(messages()));
    }
    BotMessage last = withButtons.get(withButtons.size() - 1);
    JsonObject button = last.inlineButtons().stream().filter(b -> buttonText.equals(b.getString("text"))).findFirst()
        .orElseThrow(() -> new AssertionError("no button '" + buttonText + "' on the last message with buttons in chat "
            + id + ": " + last));
    String data = button.getString("callback_data");
    if (data == null) {
      throw new AssertionError("the button '" + buttonText + "' sends no callback_data (it is " + button.encode() + ")");
    }
    return callback(last, data, "you: [" + buttonText + "]");
  }

  /** Presses the inline button carrying this callback_data on the latest message that has one. */
  public TestChat pressData(String callbackData) {
    List<BotMessage> shown = messages();
    for (int i = shown.size() - 1; i >= 0; i--) {
      BotMessage message = shown.get(i);
      int at = message.buttonData().indexOf(callbackData);
      if (at >= 0) {
        String text = message.inlineButtons().stream().filter(b -> callbackData.equals(b.getString("callback_data")))
            .map(b -> b.getString("text")).findFirst().orElse(callbackData);
        return callback(message, callbackData, "you: [" + text + "]");
      }
    }
    throw new AssertionError("no message in chat " + id + " has a button with data '" + callbackData
        + "'; the chat shows:" + listing(shown));
  }

  /**
   * Sends the callback query of a press on {@code message} with this data, whether or not the message shows such a
   * button now: a press on a button the bot has since removed, or forged data.
   */
  public TestChat pressAnyway(BotMessage message, String callbackData) {
    return callback(message, callbackData, "you: [" + callbackData + "] on #" + message.messageId());
  }

  // ---------------------------------------------------------------- what the bot did

  /** The bot's sendMessage and editMessageText calls to this chat that succeeded, in order. */
  public List<BotMessage> replies() {
    List<BotMessage> replies = new ArrayList<>();
    for (FakeTelegramApi.RecordedCall call : callsToThisChat()) {
      JsonObject p = call.params();
      if (call.method().equals("sendMessage") && call.result() instanceof JsonObject sent) {
        replies.add(new BotMessage(sent.getLong("message_id"), p.getString("text"), BotMessage.markup(p.getValue("reply_markup")), false));
      } else if (call.method().equals("editMessageText")) {
        replies.add(new BotMessage(Long.parseLong(String.valueOf(p.getValue("message_id"))), p.getString("text"),
            BotMessage.markup(p.getValue("reply_markup")), true));
      }
    }
    return replies;
  }

  /** The latest of {@link #replies()}; fails when the bot has not replied in this chat. */
  public BotMessage lastReply() {
    List<BotMessage> replies = replies();
    if (replies.isEmpty()) {
      throw new AssertionError("the bot has not replied in chat " + id);
    }
    return replies.get(replies.size() - 1);
  }

  /** The bot's messages in this chat as the user sees them now: edits applied, deleted ones gone, oldest first. */
  public List<BotMessage> messages() {
    return tester.api().messages(String.valueOf(id)).stream().map(BotMessage::of).toList();
  }

  /** The newest of {@link #messages()}; fails when there is none. */
  public BotMessage lastMessage() {
    List<BotMessage> shown = messages();
    if (shown.isEmpty()) {
      throw new AssertionError("the bot has sent nothing to chat " + id);
    }
    return shown.get(shown.size() - 1);
  }

  /** The newest of {@link #messages()} whose text contains {@code fragment}; fails when there is none. */
  public BotMessage messageContaining(String fragment) {
    List<BotMessage> shown = messages();
    for (int i = shown.size() - 1; i >= 0; i--) {
      if (Objects.requireNonNullElse(shown.get(i).text(), "").contains(fragment)) {
        return shown.get(i);
      }
    }
    throw new AssertionError("no message in chat " + id + " contains '" + fragment + "'; the chat shows:" + listing(shown));
  }

  /** The texts the bot showed for this chat's button presses (answerCallbackQuery with a text), in order. */
  public List<String> callbackAnswers() {
    return tester.api().calls("answerCallbackQuery").stream()
        .filter(c -> callbackIds.contains(c.params().getString("callback_query_id")))
        .map(c -> c.params().getString("text"))
        .filter(Objects::nonNull)
        .toList();
  }

  /** The conversation so far, a line each: what the user did, and what the bot sent, edited or showed in answer. */
  public List<String> transcript() {
    note();
    return List.copyOf(transcript);
  }

  // ---------------------------------------------------------------- delivery

  private TestChat sendMessage(JsonObject fields, String line) {
    long u = tester.nextUpdateId();
    JsonObject message = new JsonObject().put("message_id", 1_000_000 + u).put("date", System.currentTimeMillis() / 1000)
        .put("chat", chat()).put("from", user.copy()).mergeIn(fields);
    return deliver(new JsonObject().put("update_id", u).put("message", message), line);
  }

  private TestChat callback(BotMessage on, String data, String line) {
    long u = tester.nextUpdateId();
    String callbackId = "cb" + u;
    JsonObject message = tester.api().messages(String.valueOf(id)).stream()
        .filter(m -> m.getLong("message_id") == on.messageId()).findFirst()
        // a message that is gone: Telegram still sends what the client showed
        .orElseGet(() -> new JsonObject().put("message_id", on.messageId()).put("date", System.currentTimeMillis() / 1000)
            .put("chat", chat()).put("text", on.text()));
    callbackIds.add(callbackId);
    return deliver(new JsonObject().put("update_id", u).put("callback_query", new JsonObject()
        .put("id", callbackId).put("from", user.copy()).put("chat_instance", "ci" + id).put("data", data)
        .put("message", message)), line);
  }

  private TestChat deliver(JsonObject update, String line) {
    note();
    transcript.add(line);
    tester.deliver(update);
    note();
    return this;
  }

  private JsonObject chat() {
    JsonObject chat = new JsonObject().put("id", id).put("type", "private").put("first_name", user.getString("first_name"));
    if (user.getString("last_name") != null) {
      chat.put("last_name", user.getString("last_name"));
    }
    if (user.getString("username") != null) {
      chat.put("username", user.getString("username"));
    }
    return chat;
  }

  /** Adds to the transcript what the bot did since the last look. */
  private void note() {
    List<FakeTelegramApi.RecordedCall> calls = callsToThisChat();
    for (FakeTelegramApi.RecordedCall call : calls.subList(Math.min(callsSeen, calls.size()), calls.size())) {
      JsonObject p = call.params();
      BotMessage shown = new BotMessage(0, p.getString("text"), BotMessage.markup(p.getValue("reply_markup")), false);
      String buttons = shown.buttonTexts().isEmpty() ? "" : " " + String.join(" ", shown.buttonTexts().stream().map(t -> "[" + t + "]").toList());
      switch (call.method()) {
        case "sendMessage" -> transcript.add("bot: " + p.getString("text") + buttons);
        case "editMessageText" -> transcript.add("bot (edits #" + p.getValue("message_id") + "): " + p.getString("text") + buttons);
        case "answerCallbackQuery" -> {
          if (p.getString("text") != null) {
            transcript.add("bot (notice): " + p.getString("text"));
          }
        }
        case "sendChatAction" -> {
        }
        default -> transcript.add("bot (" + call.method() + ")" + (p.getString("text") == null ? "" : ": " + p.getString("text")));
      }
    }
    callsSeen = calls.size();
  }

  /** Successful calls addressed to this chat, and the answers to its callback queries, in order. */
  private List<FakeTelegramApi.RecordedCall> callsToThisChat() {
    String chatId = String.valueOf(id);
    return tester.api().calls().stream()
        .filter(c -> chatId.equals(String.valueOf(c.params().getValue("chat_id")))
            || c.method().equals("answerCallbackQuery") && callbackIds.contains(c.params().getString("callback_query_id")))
        .toList();
  }

  private static String listing(List<BotMessage> shown) {
    return shown.isEmpty() ? " nothing" : "\n  " + String.join("\n  ", shown.stream().map(BotMessage::toString).toList());
  }
}
