package io.splitbot.shared.update;

import io.vertx.core.json.JsonObject;

/**
 * One platform update as it travels from the edge to the worker. {@code raw} is the body exactly as the platform
 * sent it, so fields this version does not know survive the trip.
 */
public record UpdateEnvelope(String platform, long updateId, String chatKey, String raw) {

  public static final String TELEGRAM = "telegram";

  public JsonObject toJson() {
    return new JsonObject()
        .put("platform", platform)
        .put("update_id", updateId)
        .put("chat_key", chatKey)
        .put("raw", raw);
  }

  public static UpdateEnvelope fromJson(JsonObject json) {
    return new UpdateEnvelope(
        json.getString("platform", TELEGRAM),
        json.getLong("update_id"),
        json.getString("chat_key"),
        json.getString("raw"));
  }

  /** A Telegram update already parsed by the caller; the chat key is derived from it. */
  public static UpdateEnvelope telegram(String raw, JsonObject parsed) {
    return new UpdateEnvelope(TELEGRAM, parsed.getLong("update_id"), TelegramUpdates.chatKey(parsed), raw);
  }

  public JsonObject parsed() {
    return new JsonObject(raw);
  }
}
