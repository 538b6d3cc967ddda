package io.splitbot.desk.bot;

import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the desk uses only on Telegram: the reply keyboard with the "share my phone number" button (offered in private
 * chats), taking a reply keyboard away, and reading a shared contact. Elsewhere the phone is typed. Each reader
 * answers nothing for an update of another platform.
 */
final class TelegramOnly {
  static final String PLATFORM = UserRef.TELEGRAM;

  private TelegramOnly() {
  }

  static boolean on(UpdateContext ctx) {
    return PLATFORM.equals(ctx.platform());
  }

  /** A message in a private chat with the bot: where Telegram offers "share contact". */
  static boolean privateChat(UpdateContext ctx) {
    JsonObject chat = on(ctx) ? object(object(ctx.update(), "message"), "chat") : null;
    return chat != null && "private".equals(chat.getValue("type"));
  }

  /** The phone number of a contact the user shared, or null. */
  static String sharedPhone(UpdateContext ctx) {
    JsonObject contact = on(ctx) ? object(object(ctx.update(), "message"), "contact") : null;
    return contact != null && contact.getValue("phone_number") instanceof String phone ? phone : null;
  }

  /** The extra of a message showing the reply keyboard with the share-contact button. */
  static JsonObject shareContact(String label) {
    return new JsonObject().put("reply_markup", new JsonObject()
        .put("keyboard", new JsonArray().add(new JsonArray().add(new JsonObject().put("text", label).put("request_contact", true))))
        .put("resize_keyboard", true)
        .put("one_time_keyboard", true));
  }

  /** The extra of a message that takes a reply keyboard away. */
  static JsonObject removeKeyboard() {
    return new JsonObject().put("reply_markup", new JsonObject().put("remove_keyboard", true));
  }

  private static JsonObject object(JsonObject parent, String field) {
    return parent != null && parent.getValue(field) instanceof JsonObject o ? o : null;
  }
}
