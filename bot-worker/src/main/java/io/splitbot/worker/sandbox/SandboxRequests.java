package io.splitbot.worker.sandbox;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The chat page's requests, read and checked in one place: who acts (the switcher's user), in which chat (the user's
 * private chat or the sandbox group) and what they do. A wrong field is an {@link IllegalArgumentException} naming
 * it, which the API answers with 400.
 */
final class SandboxRequests {
  private static final long MAX_USER_ID = (1L << 52) - 1; // Telegram's ids fit 52 bits
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{1,8})?");
  private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{5,20}");
  private static final int MAX_NAME = 64;
  private static final int MAX_TEXT = 4096;

  /** One thing a user does: the update it queued, or null when the chat shows nothing to act on. */
  @FunctionalInterface
  interface Action {
    JsonObject apply(JsonObject body, BotApiEmulator emulator);
  }

  private SandboxRequests() {
  }

  /** {@code {chat_id, from, text}} or {@code {chat_id, from, contact: {phone_number}}}, optionally reply_to_message_id. */
  static JsonObject message(JsonObject body, BotApiEmulator emulator) {
    JsonObject from = user(body.getValue("from"));
    JsonObject chat = chat(body.getValue("chat_id"), from);
    Object text = body.getValue("text");
    Object contact = body.getValue("contact");
    if ((text == null) == (contact == null)) {
      throw new IllegalArgumentException("send either text or contact");
    }
    JsonObject fields = new JsonObject();
    if (text != null) {
      if (!(text instanceof String s) || s.isBlank() || s.length() > MAX_TEXT) {
        throw new IllegalArgumentException("text must be 1 to " + MAX_TEXT + " characters");
      }
      fields.put("text", s);
    } else {
      if (!(contact instanceof JsonObject c) || !(c.getValue("phone_number") instanceof String phone)
          || !PHONE.matcher(phone).matches()) {
        throw new IllegalArgumentException("contact.phone_number must be a phone number: an optional + and 5 to 20 digits");
      }
      // The user's own contact, as "share my phone number" sends it.
      JsonObject shared = new JsonObject().put("phone_number", phone).put("first_name", from.getString("first_name"))
          .put("user_id", from.getLong("id"));
      if (from.getString("last_name") != null) {
        shared.put("last_name", from.getString("last_name"));
      }
      fields.put("contact", shared);
    }
    if (body.getValue("reply_to_message_id") != null) {
      fields.put("reply_to_message_id", count(body.getValue("reply_to_message_id"), "reply_to_message_id", 1, Integer.MAX_VALUE));
    }
    return emulator.sendAsUser(chat, from, fields);
  }

  /** {@code {chat_id, from, message_id, data}}: a press on an inline button the chat shows. */
  static JsonObject press(JsonObject body, BotApiEmulator emulator) {
    JsonObject from = user(body.getValue("from"));
    JsonObject chat = chat(body.getValue("chat_id"), from);
    long messageId = count(body.getValue("message_id"), "message_id", 1, Integer.MAX_VALUE);
    if (!(body.getValue("data") instanceof String data) || data.isEmpty()
        || data.getBytes(StandardCharsets.UTF_8).length > 64) {
      throw new IllegalArgumentException("data must be the button's callback_data: 1 to 64 bytes");
    }
    return emulator.pressButton(String.valueOf(chat.getValue("id")), from, messageId, data);
  }

  /** A Bot API {@code User} from the switcher's {@code {id, first_name, last_name?, language_code?}}. */
  static JsonObject user(Object value) {
    if (!(value instanceof JsonObject u)) {
      throw new IllegalArgumentException("from must be the user: {id, first_name, last_name, language_code}");
    }
    long id = count(u.getValue("id"), "from.id", 1, MAX_USER_ID);
    JsonObject user = new JsonObject().put("id", id).put("is_bot", false).put("first_name", name(u.getValue("first_name"), "from.first_name", true));
    String last = name(u.getValue("last_name"), "from.last_name", false);
    if (last != null) {
      user.put("last_name", last);
    }
    Object language = u.getValue("language_code");
    if (language != null) {
      if (!(language instanceof String l) || !LANGUAGE.matcher(l).matches()) {
        throw new IllegalArgumentException("from.language_code must be a language tag such as en or ru");
      }
      user.put("language_code", l);
    }
    return user;
  }

  /** The chat: the user's private chat (its id is the user's) or the sandbox group. */
  private static JsonObject chat(Object value, JsonObject from) {
    long id = count(value, "chat_id", Long.MIN_VALUE + 1, Long.MAX_VALUE);
    if (id == from.getLong("id")) {
      JsonObject chat = new JsonObject().put("id", id).put("type", "private").put("first_name", from.getString("first_name"));
      if (from.getString("last_name") != null) {
        chat.put("last_name", from.getString("last_name"));
      }
      return chat;
    }
    if (id == SandboxPeople.GROUP.getLong("id")) {
      return SandboxPeople.GROUP.copy();
    }
    throw new IllegalArgumentException("chat_id must be the user's own id (a private chat) or the group's, "
        + SandboxPeople.GROUP.getLong("id"));
  }

  private static String name(Object value, String field, boolean required) {
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String s) || s.isBlank() || s.length() > MAX_NAME) {
      throw new IllegalArgumentException(field + " must be 1 to " + MAX_NAME + " characters");
    }
    return s;
  }

  /** A whole number in {@code [min, max]}, given as a JSON number or a string of digits. */
  static long count(Object value, String field, long min, long max) {
    long n;
    if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
      n = number.longValue();
    } else if (value instanceof String s && s.matches("-?\\d{1,19}")) {
      try {
        n = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
      }
    } else {
      throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(field + " must be a whole number from " + min + " to " + max);
    }
    return n;
  }
}
