package io.splitbot.worker.platform;

import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.Sender;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * How one platform's updates read and how its answers are written, so that {@link io.splitbot.worker.bot.UpdateContext}
 * and the bots on it are the same on every platform. Pure: it reads JSON and builds API calls; the platform's client
 * sends them. Every accessor returns null when the update has no such thing.
 */
public interface PlatformDialect {

  /** One call of the platform's API: a method name and its parameters, as the platform's client takes them. */
  record ApiCall(String method, JsonObject params) {
  }

  String platform();

  /** The update's type as the platform names it: message, callback_query, message_created, bot_started, ... */
  String updateType(JsonObject update);

  /** Whether the update is a new message from someone (not an edit, a button press or a membership change). */
  boolean isMessage(JsonObject update);

  /** The text of a new message (not an edit). */
  String text(JsonObject update);

  /**
   * The text of the message a new message replies to (Telegram's {@code reply_to_message}, MAX's {@code link} of type
   * reply); null when it replies to nothing or to a message without text.
   */
  String repliedToText(JsonObject update);

  /** The data (payload) of a pressed inline button. */
  String callbackData(JsonObject update);

  /** Who caused the update. */
  Sender sender(JsonObject update);

  /** Where an answer to this update goes: the chat (or, where the platform has no chat, the user). */
  String replyTarget(JsonObject update);

  /** Where a message to a user goes: their private chat with the bot (a target for {@link #send}). */
  String userTarget(long userId);

  /** The id of the message a pressed button sits on, to edit it in place. */
  String callbackMessageId(JsonObject update);

  /** A new message to {@code target}, with inline buttons (none when empty); {@code extra} is merged in as given. */
  ApiCall send(String target, String text, List<List<Button>> rows, JsonObject extra);

  /** Replaces the text and buttons of message {@code messageId} in {@code target}: no rows leaves it without buttons. */
  ApiCall edit(String target, String messageId, String text, List<List<Button>> rows, JsonObject extra);

  /**
   * Stops a pressed button's spinner, with an optional short notice; {@code alert} asks for a notice the user must
   * dismiss, where the platform has one. Null when the update is no button press.
   */
  ApiCall answerCallback(JsonObject update, String notice, boolean alert);

  /** What one call may carry: the longest text, caption, notice, callback data and button label. */
  PlatformLimits limits();

  /**
   * Fits one outgoing call to {@link #limits()} in place: names each text, caption, notice and button that
   * {@code method}'s {@code params} carry to {@code fit}, which cuts or refuses them. Every call passes here, the raw
   * ones a bot makes included ({@link OutgoingFit#sender}).
   */
  void fit(String method, JsonObject params, OutgoingFit fit);
}
