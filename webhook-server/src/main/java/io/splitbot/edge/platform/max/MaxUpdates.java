package io.splitbot.edge.platform.max;

import io.splitbot.shared.update.MalformedUpdateException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the runtime needs to know of a MAX update's shape (docs/MAX.md): its type, its time, a key that tells
 * redeliveries apart from new updates, the chat it belongs to, who caused it and what a handler answers to. Only
 * those fields are read, each checked for its type, so a malformed update fails with a
 * {@link MalformedUpdateException} naming the field path instead of a ClassCastException.
 *
 * <p>MAX updates carry no id, so the dedup key is derived from the update itself (the table in docs/MAX.md). An
 * update of a type this version does not know is well-formed when it has {@code update_type} and {@code timestamp}:
 * it is keyed by a hash of its body and routed to the bot like any other.
 */
public final class MaxUpdates {

  /** The update types of the MAX Bot API schema 0.0.33, in its order. */
  public static final List<String> UPDATE_TYPES = List.of(
      "message_created", "message_callback", "message_edited", "message_removed",
      "comment_created", "comment_edited", "comment_removed",
      "bot_added", "bot_removed", "user_added", "user_removed", "bot_started", "bot_stopped",
      "dialog_cleared", "dialog_removed", "dialog_muted", "dialog_unmuted", "chat_title_changed",
      "bot_admin_permissions_changed");

  /** Updates whose {@code message} is the subject (a comment is a message in a channel post's thread). */
  private static final Set<String> MESSAGE_UPDATES =
      Set.of("message_created", "message_edited", "comment_created", "comment_edited");
  /** Updates about a removed message: only its id, the chat and the remover's id. */
  private static final Set<String> REMOVAL_UPDATES = Set.of("message_removed", "comment_removed");
  /** Updates with a top-level {@code chat_id} and a top-level {@code user} object. */
  private static final Set<String> CHAT_USER_UPDATES = Set.of(
      "bot_added", "bot_removed", "user_added", "user_removed", "bot_started", "bot_stopped",
      "dialog_cleared", "dialog_removed", "dialog_muted", "dialog_unmuted", "chat_title_changed");
  /** Updates that happen in the bot's dialog with a user, whatever the chat id looks like. */
  private static final Set<String> DIALOG_UPDATES =
      Set.of("bot_started", "bot_stopped", "dialog_cleared", "dialog_removed", "dialog_muted", "dialog_unmuted");
  /** Changes from one delivery of an update to the next, so it never takes part in a key. */
  private static final String VOLATILE_FIELD = "last_activity_time";

  private MaxUpdates() {
  }

  /** Where a handler answers: {@code POST /messages?<param>=<id>}, param being {@code chat_id} or {@code user_id}. */
  public record ReplyTarget(String param, long id) {
    public static final String CHAT = "chat_id";
    public static final String USER = "user_id";
  }

  /** The update's {@code update_type}: present and a non-empty string (known or not). */
  public static String updateType(JsonObject update) {
    String type = string(update, "update_type", "update_type");
    if (type == null || type.isBlank()) {
      throw new MalformedUpdateException("update_type is missing");
    }
    return type;
  }

  /** The update's {@code timestamp} in ms: present, an integer, not negative. The ordering key within a chat. */
  public static long timestamp(JsonObject update) {
    Long timestamp = integer(update, "timestamp", "timestamp");
    if (timestamp == null) {
      throw new MalformedUpdateException("timestamp is missing");
    }
    if (timestamp < 0) {
      throw new MalformedUpdateException("timestamp must be a non-negative integer");
    }
    return timestamp;
  }

  /**
   * The key that is the same for every delivery of this update and differs for any other update (without the
   * platform; the runtime adds it). See the table in docs/MAX.md.
   */
  public static String dedupKey(JsonObject update) {
    String type = updateType(update);
    return switch (type) {
      case "message_created" -> mid(update);
      // An edit shares the mid of its message: its time tells the edits apart and keeps them off the creation's key.
      case "message_edited" -> "edited:" + mid(update) + ":" + timestamp(update);
      case "message_removed" -> "removed:" + requiredString(update, "message_id", "message_id");
      case "comment_created" -> "comment:" + mid(update);
      case "comment_edited" -> "comment_edited:" + mid(update) + ":" + timestamp(update);
      case "comment_removed" -> "comment_removed:" + requiredString(update, "message_id", "message_id");
      // The schema calls callback_id the "current keyboard identifier": two presses may share it, their times do not.
      case "message_callback" -> "callback:" + requiredString(callback(update), "callback_id", "callback.callback_id")
          + ":" + timestamp(update);
      case "bot_admin_permissions_changed" -> type + ":" + requiredInteger(update, "chat_id", "chat_id") + ":"
          + requiredInteger(update, "user_id", "user_id") + ":" + timestamp(update);
      default -> CHAT_USER_UPDATES.contains(type)
          ? type + ":" + requiredInteger(update, "chat_id", "chat_id") + ":" + userId(user(update), "user") + ":"
              + timestamp(update)
          : type + ":" + timestamp(update) + ":" + bodyHash(update);
    };
  }

  /**
   * The key that serialises handling: the chat id, or {@code user:<id>} when the update names no chat (a button on a
   * message deleted meanwhile), or {@code update:<dedup key>} when it names neither. Never null.
   */
  public static String chatKey(JsonObject update) {
    String type = updateType(update);
    if (MESSAGE_UPDATES.contains(type)) {
      JsonObject message = message(update);
      Long chatId = integer(recipient(message, "message"), "chat_id", "message.recipient.chat_id");
      if (chatId != null) {
        return String.valueOf(chatId);
      }
      JsonObject sender = object(message, "sender", "message.sender");
      if (sender != null) {
        return "user:" + userId(sender, "message.sender");
      }
      throw new MalformedUpdateException("message.recipient.chat_id is missing");
    }
    if (type.equals("message_callback")) {
      JsonObject message = object(update, "message", "message");
      Long chatId = message == null ? null
          : integer(recipient(message, "message"), "chat_id", "message.recipient.chat_id");
      return chatId != null ? String.valueOf(chatId)
          : "user:" + userId(required(callback(update), "user", "callback.user"), "callback.user");
    }
    if (REMOVAL_UPDATES.contains(type) || CHAT_USER_UPDATES.contains(type)
        || type.equals("bot_admin_permissions_changed")) {
      return String.valueOf(requiredInteger(update, "chat_id", "chat_id"));
    }
    return unknownChatKey(update);
  }

  /**
   * The User who caused the update, as MAX sent it ({@code user_id} checked): the message's sender, the user who
   * pressed the button, or the top-level {@code user} (for {@code user_added}/{@code user_removed} the member
   * concerned). Null when the update names no User object: a channel post, a removal, a permission change.
   */
  public static JsonObject sender(JsonObject update) {
    String type = updateType(update);
    if (MESSAGE_UPDATES.contains(type)) {
      JsonObject sender = object(message(update), "sender", "message.sender");
      return sender == null ? null : checkedUser(sender, "message.sender");
    }
    if (type.equals("message_callback")) {
      return checkedUser(required(callback(update), "user", "callback.user"), "callback.user");
    }
    if (CHAT_USER_UPDATES.contains(type)) {
      return checkedUser(user(update), "user");
    }
    if (REMOVAL_UPDATES.contains(type) || type.equals("bot_admin_permissions_changed")) {
      return null;
    }
    // An unknown type: its user, if it names one the way known updates do.
    return update.getValue("user") instanceof JsonObject user && isInteger(user.getValue("user_id")) ? user : null;
  }

  /** The id of who caused the update: the {@link #sender} or, for removals and permission changes, the top-level user_id. */
  public static Long senderId(JsonObject update) {
    String type = updateType(update);
    if (REMOVAL_UPDATES.contains(type) || type.equals("bot_admin_permissions_changed")) {
      return requiredInteger(update, "user_id", "user_id");
    }
    JsonObject sender = sender(update);
    return sender == null ? null : sender.getLong("user_id");
  }

  /** The text of a created or edited message or comment; null for other updates and for messages without text. */
  public static String text(JsonObject update) {
    if (!MESSAGE_UPDATES.contains(updateType(update))) {
      return null;
    }
    return string(body(message(update), "message"), "text", "message.body.text");
  }

  /** The {@code callback_id} to answer with {@code POST /answers}; null for updates other than message_callback. */
  public static String callbackId(JsonObject update) {
    return isCallback(update) ? requiredString(callback(update), "callback_id", "callback.callback_id") : null;
  }

  /** The pressed button's payload; null for other updates and for a callback without payload. */
  public static String callbackPayload(JsonObject update) {
    return isCallback(update) ? string(callback(update), "payload", "callback.payload") : null;
  }

  /** The deep-link payload of {@code bot_started} ({@code https://max.ru/<bot>?start=<payload>}), or null. */
  public static String startPayload(JsonObject update) {
    return updateType(update).equals("bot_started") ? string(update, "payload", "payload") : null;
  }

  /** The user's locale ({@code user_locale}, IETF BCP 47 such as "ru"), or null where MAX gives none. */
  public static String locale(JsonObject update) {
    return string(update, "user_locale", "user_locale");
  }

  /**
   * The mid of the message the update is about (created, edited or removed; for a callback, the message with the
   * keyboard, null if it was deleted), for {@code PUT/DELETE /messages?message_id=}; null for other updates.
   */
  public static String messageId(JsonObject update) {
    String type = updateType(update);
    if (MESSAGE_UPDATES.contains(type)) {
      return mid(update);
    }
    if (REMOVAL_UPDATES.contains(type)) {
      return requiredString(update, "message_id", "message_id");
    }
    if (type.equals("message_callback")) {
      JsonObject message = object(update, "message", "message");
      return message == null ? null : requiredString(body(message, "message"), "mid", "message.body.mid");
    }
    return null;
  }

  /**
   * The chat type, {@code dialog}, {@code chat} or {@code channel}: the message's {@code recipient.chat_type}, or
   * "dialog" for the updates that only happen in a dialog (bot_started, dialog_muted, ...); null when not known.
   */
  public static String chatType(JsonObject update) {
    String type = updateType(update);
    if (DIALOG_UPDATES.contains(type)) {
      return "dialog";
    }
    JsonObject message = MESSAGE_UPDATES.contains(type) ? message(update)
        : type.equals("message_callback") ? object(update, "message", "message") : null;
    return message == null ? null : string(recipient(message, "message"), "chat_type", "message.recipient.chat_type");
  }

  /** Where to answer the update: its chat, else the user who caused it; null when it names neither. */
  public static ReplyTarget replyTarget(JsonObject update) {
    String key = chatKey(update);
    if (key.startsWith("update:")) {
      return null;
    }
    return key.startsWith("user:")
        ? new ReplyTarget(ReplyTarget.USER, Long.parseLong(key.substring(5)))
        : new ReplyTarget(ReplyTarget.CHAT, Long.parseLong(key));
  }

  // ---------------------------------------------------------------- the parts of known updates

  private static boolean isCallback(JsonObject update) {
    return updateType(update).equals("message_callback");
  }

  private static JsonObject message(JsonObject update) {
    return required(update, "message", "message");
  }

  private static JsonObject callback(JsonObject update) {
    return required(update, "callback", "callback");
  }

  private static JsonObject user(JsonObject update) {
    return required(update, "user", "user");
  }

  private static JsonObject recipient(JsonObject message, String path) {
    return required(message, "recipient", path + ".recipient");
  }

  private static JsonObject body(JsonObject message, String path) {
    return required(message, "body", path + ".body");
  }

  private static String mid(JsonObject update) {
    return requiredString(body(message(update), "message"), "mid", "message.body.mid");
  }

  private static JsonObject checkedUser(JsonObject user, String path) {
    userId(user, path);
    return user;
  }

  private static long userId(JsonObject user, String path) {
    return requiredInteger(user, "user_id", path + ".user_id");
  }

  // ---------------------------------------------------------------- unknown updates

  /** The first chat or user an unknown update names, read leniently: a field of another type is passed over. */
  private static String unknownChatKey(JsonObject update) {
    Object chatId = update.getValue("chat_id");
    if (isInteger(chatId)) {
      return chatId.toString();
    }
    if (update.getValue("message") instanceof JsonObject message
        && message.getValue("recipient") instanceof JsonObject recipient && isInteger(recipient.getValue("chat_id"))) {
      return recipient.getValue("chat_id").toString();
    }
    if (update.getValue("chat") instanceof JsonObject chat && isInteger(chat.getValue("chat_id"))) {
      return chat.getValue("chat_id").toString();
    }
    if (update.getValue("user") instanceof JsonObject user && isInteger(user.getValue("user_id"))) {
      return "user:" + user.getValue("user_id");
    }
    if (isInteger(update.getValue("user_id"))) {
      return "user:" + update.getValue("user_id");
    }
    return "update:" + dedupKey(update);
  }

  /** 32 hex digits of SHA-256 over the update's canonical JSON (keys sorted, no volatile fields). */
  private static String bodyHash(JsonObject update) {
    StringBuilder canonical = new StringBuilder();
    appendCanonical(update, canonical);
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void appendCanonical(Object value, StringBuilder out) {
    if (value instanceof JsonObject object) {
      out.append('{');
      String separator = "";
      for (String key : new TreeSet<>(object.fieldNames())) {
        if (!key.equals(VOLATILE_FIELD)) {
          out.append(separator).append(Json.encode(key)).append(':');
          appendCanonical(object.getValue(key), out);
          separator = ",";
        }
      }
      out.append('}');
    } else if (value instanceof JsonArray array) {
      out.append('[');
      for (int i = 0; i < array.size(); i++) {
        out.append(i == 0 ? "" : ",");
        appendCanonical(array.getValue(i), out);
      }
      out.append(']');
    } else {
      out.append(Json.encode(value));
    }
  }

  // ---------------------------------------------------------------- typed field access

  /** The field as an object, null when absent or JSON null; any other type is malformed. */
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

  /** The field as a string, null when absent or JSON null; any other type is malformed. */
  private static String string(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new MalformedUpdateException(path + " must be a string");
  }

  private static String requiredString(JsonObject parent, String field, String path) {
    String value = string(parent, field, path);
    if (value == null) {
      throw new MalformedUpdateException(path + " is missing");
    }
    if (value.isEmpty()) {
      throw new MalformedUpdateException(path + " must not be empty");
    }
    return value;
  }

  /** The field as an integer, null when absent or JSON null; a fraction, a string or anything else is malformed. */
  private static Long integer(JsonObject parent, String field, String path) {
    Object value = parent.getValue(field);
    if (value == null) {
      return null;
    }
    if (isInteger(value)) {
      return ((Number) value).longValue();
    }
    throw new MalformedUpdateException(path + " must be an integer");
  }

  private static long requiredInteger(JsonObject parent, String field, String path) {
    Long value = integer(parent, field, path);
    if (value == null) {
      throw new MalformedUpdateException(path + " is missing");
    }
    return value;
  }

  private static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long;
  }
}
