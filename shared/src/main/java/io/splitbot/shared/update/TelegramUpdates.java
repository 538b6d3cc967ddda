package io.splitbot.shared.update;

import io.vertx.core.json.JsonObject;

/** What the runtime needs to know of a Telegram update's shape: which chat it belongs to. */
public final class TelegramUpdates {
  private static final String[] CHAT_CARRIERS = {
      "message", "edited_message", "channel_post", "edited_channel_post", "business_message",
      "edited_business_message", "my_chat_member", "chat_member", "chat_join_request", "message_reaction",
      "message_reaction_count", "chat_boost", "removed_chat_boost"};
  private static final String[] USER_CARRIERS = {
      "inline_query", "chosen_inline_result", "shipping_query", "pre_checkout_query", "purchased_paid_media"};

  private TelegramUpdates() {
  }

  /**
   * The key that serialises an update: its chat id, or for chat-less updates the user id, or a per-update key.
   * Updates with the same key are handled one at a time in update_id order.
   */
  public static String chatKey(JsonObject update) {
    for (String field : CHAT_CARRIERS) {
      JsonObject carrier = update.getJsonObject(field);
      if (carrier != null && carrier.getJsonObject("chat") != null && carrier.getJsonObject("chat").getValue("id") != null) {
        return String.valueOf(carrier.getJsonObject("chat").getValue("id"));
      }
    }
    JsonObject callback = update.getJsonObject("callback_query");
    if (callback != null) {
      JsonObject message = callback.getJsonObject("message");
      if (message != null && message.getJsonObject("chat") != null) {
        return String.valueOf(message.getJsonObject("chat").getValue("id"));
      }
      return userKey(callback.getJsonObject("from"), update);
    }
    for (String field : USER_CARRIERS) {
      JsonObject carrier = update.getJsonObject(field);
      if (carrier != null) {
        return userKey(carrier.getJsonObject("from"), update);
      }
    }
    JsonObject pollAnswer = update.getJsonObject("poll_answer");
    if (pollAnswer != null && pollAnswer.getJsonObject("user") != null) {
      return String.valueOf(pollAnswer.getJsonObject("user").getValue("id"));
    }
    return "update:" + update.getLong("update_id");
  }

  private static String userKey(JsonObject from, JsonObject update) {
    return from != null && from.getValue("id") != null ? String.valueOf(from.getValue("id")) : "update:" + update.getLong("update_id");
  }

  /** Telegram group and channel chat ids are negative; private chats are the user's positive id. */
  public static boolean isGroupChat(String chatKey) {
    return chatKey.startsWith("-");
  }
}
