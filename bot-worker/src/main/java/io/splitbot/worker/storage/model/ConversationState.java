package io.splitbot.worker.storage.model;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Where a user is in a guided conversation. {@code data} is kept as the exact JSON text it was saved with, so it
 * round-trips unchanged through every backend.
 */
public record ConversationState(String key, String step, String dataJson, Instant updatedAt) {
  public ConversationState {
    key = Values.required("key", key);
    step = Values.required("step", step);
    dataJson = dataJson == null || dataJson.isBlank() ? "{}" : dataJson;
    try {
      new JsonObject(dataJson);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("data must be a JSON object");
    }
    updatedAt = updatedAt == null ? Values.now() : Values.millis(updatedAt);
  }

  public static ConversationState of(long chatId, long userId, String step, JsonObject data) {
    return new ConversationState(key(chatId, userId), step, data == null ? "{}" : data.encode(), null);
  }

  /** The key of one user's conversation in one chat. */
  public static String key(long chatId, long userId) {
    return chatId + ":" + userId;
  }

  public JsonObject data() {
    return new JsonObject(dataJson);
  }
}
