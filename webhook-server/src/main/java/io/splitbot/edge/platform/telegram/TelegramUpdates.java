package io.splitbot.edge.platform.telegram;

import io.splitbot.shared.update.MalformedUpdateException;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the runtime needs to know of a Telegram update's shape: its update_id and which chat it belongs to. Only
 * those fields are read, each checked for its type, so a malformed update fails with a
 * {@link MalformedUpdateException} that names the field instead of a ClassCastException.
 *
 * <p>An update of a type this version does not know (Telegram adds some every release) is well-formed: it is keyed
 * by its own id ({@code update:<id>}) and handled like any other, so the bot may still read it.
 */
public final class TelegramUpdates {
  private static final String[] CHAT_CARRIERS = {
      "message", "edited_message", "channel_post", "edited_channel_post", "business_message",
      "edited_business_message", "deleted_business_messages", "my_chat_member", "chat_member", "chat_join_request",
      "message_reaction", "message_reaction_count", "chat_boost", "removed_chat_boost"};
  private static final String[] USER_CARRIERS = {
      "inline_query", "chosen_inline_result", "shipping_query", "pre_checkout_query", "purchased_paid_media"};

  /** Every field {@link #updateId} and {@link #chatKey} read, at any depth, and how deep they go. */
  public static final Set<String> KEY_FIELDS = keyFields();
  public static final int KEY_DEPTH = 4;

  private TelegramUpdates() {
  }

  private static Set<String> keyFields() {
    Set<String> names = new HashSet<>(List.of("update_id", "callback_query", "poll_answer", "chat", "from", "message",
        "user", "voter_chat", "id"));
    names.addAll(List.of(CHAT_CARRIERS));
    names.addAll(List.of(USER_CARRIERS));
    return Set.copyOf(names);
  }

  /** The update's {@code update_id}: present, an integer, not negative. */
  public static long updateId(JsonObject update) {
    Object id = update.getValue("update_id");
    if (id == null) {
      throw new MalformedUpdateException("update_id is missing");
    }
    if (!(id instanceof Integer || id instanceof Long) || ((Number) id).longValue() < 0) {
      throw new MalformedUpdateException("update_id must be a non-negative integer");
    }
    return ((Number) id).longValue();
  }

  /**
   * The key that serialises an update: its chat id, or for chat-less updates the user id, or a per-update key.
   * Updates with the same key are handled one at a time in update_id order.
   */
  public static String chatKey(JsonObject update) {
    long updateId = updateId(update);
    for (String field : CHAT_CARRIERS) {
      JsonObject carrier = object(update, field, field);
      if (carrier != null) {
        return id(required(carrier, "chat", field + ".chat"), field + ".chat");
      }
    }
    JsonObject callback = object(update, "callback_query", "callback_query");
    if (callback != null) {
      // A button on an inline message has no chat, only the user who pressed it.
      JsonObject message = object(callback, "message", "callback_query.message");
      return message != null
          ? id(required(message, "chat", "callback_query.message.chat"), "callback_query.message.chat")
          : id(required(callback, "from", "callback_query.from"), "callback_query.from");
    }
    for (String field : USER_CARRIERS) {
      JsonObject carrier = object(update, field, field);
      if (carrier != null) {
        return id(required(carrier, "from", field + ".from"), field + ".from");
      }
    }
    JsonObject pollAnswer = object(update, "poll_answer", "poll_answer");
    if (pollAnswer != null) {
      JsonObject user = object(pollAnswer, "user", "poll_answer.user");
      if (user != null) {
        return id(user, "poll_answer.user");
      }
      // An anonymous vote in a channel: the voter is the chat.
      JsonObject voter = object(pollAnswer, "voter_chat", "poll_answer.voter_chat");
      if (voter != null) {
        return id(voter, "poll_answer.voter_chat");
      }
    }
    return "update:" + updateId;
  }

  /** Telegram group and channel chat ids are negative; private chats are the user's positive id. */
  public static boolean isGroupChat(String chatKey) {
    return chatKey.startsWith("-");
  }

  /** The field as an object, null when absent; any other type is malformed. */
  private static JsonObject object(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (value == null || value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw new MalformedUpdateException(path + " must be an object");
  }

  private static JsonObject required(JsonObject parent, String field, String path) {
    JsonObject value = object(parent, field, path);
    if (value == null) {
      throw new MalformedUpdateException(path + " is missing");
    }
    return value;
  }

  private static String id(JsonObject holder, String path) {
    Object id = holder.getValue("id");
    if (id instanceof Integer || id instanceof Long) {
      return String.valueOf(id);
    }
    throw new MalformedUpdateException(path + ".id must be an integer");
  }
}
