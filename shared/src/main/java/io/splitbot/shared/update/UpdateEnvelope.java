package io.splitbot.shared.update;

import io.vertx.core.json.JsonObject;

/**
 * One platform update as it travels from the edge to the worker. {@code raw} is the body exactly as the platform
 * sent it, so fields this version does not know survive the trip. {@code route} is where the edge decided to send
 * it ({@link #ROUTE_WORKER} or {@link #ROUTE_LEGACY}); it is stored in the spool with the update, so a restart
 * delivers it where it was meant to go.
 */
public record UpdateEnvelope(String platform, long updateId, String chatKey, String raw, String route) {

  public static final String TELEGRAM = "telegram";
  /** The new worker, over the event bus (the default). */
  public static final String ROUTE_WORKER = "worker";
  /** The legacy bot's webhook, over HTTP (strangler migration). */
  public static final String ROUTE_LEGACY = "legacy";

  public UpdateEnvelope {
    route = route == null ? ROUTE_WORKER : route;
  }

  public UpdateEnvelope(String platform, long updateId, String chatKey, String raw) {
    this(platform, updateId, chatKey, raw, ROUTE_WORKER);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("platform", platform)
        .put("update_id", updateId)
        .put("chat_key", chatKey)
        .put("raw", raw);
    // Only a legacy route is written, so spools written before routing existed read the same.
    return ROUTE_WORKER.equals(route) ? json : json.put("route", route);
  }

  public static UpdateEnvelope fromJson(JsonObject json) {
    return new UpdateEnvelope(
        json.getString("platform", TELEGRAM),
        json.getLong("update_id"),
        json.getString("chat_key"),
        json.getString("raw"),
        json.getString("route", ROUTE_WORKER));
  }

  /**
   * A Telegram update already parsed by the caller; the chat key is derived from it.
   *
   * @throws MalformedUpdateException when the fields the runtime reads are missing or of the wrong type
   */
  public static UpdateEnvelope telegram(String raw, JsonObject parsed) {
    return new UpdateEnvelope(TELEGRAM, TelegramUpdates.updateId(parsed), TelegramUpdates.chatKey(parsed), raw);
  }

  /** The same update, bound for {@code route}. */
  public UpdateEnvelope routedTo(String route) {
    return new UpdateEnvelope(platform, updateId, chatKey, raw, route);
  }

  public boolean forLegacy() {
    return ROUTE_LEGACY.equals(route);
  }

  public JsonObject parsed() {
    return new JsonObject(raw);
  }
}
