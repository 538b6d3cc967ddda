package io.splitbot.worker.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One platform's API outside an update, for messages a bot sends on its own (a notification from its HTTP API, a
 * scheduled reminder, a message to a user of another platform). Calls go through the same throttle and retry rules
 * as a handler's, but not through the effect ledger: inside a handler, use the {@link UpdateContext} instead (or
 * wrap the call in {@link UpdateContext#once}), so a retried update sends nothing twice.
 */
public interface PlatformApi {
  /** "telegram", "max". */
  String platform();

  /** False when the platform's token is not set; every call then fails saying which variable to set. */
  boolean configured();

  /**
   * Any method of the platform's API, e.g. {@code call("sendMessage", {"chat_id":…, "text":…})} on Telegram,
   * {@code call("POST /messages", {"query":{…},"body":{…}})} on MAX; the result.
   */
  Future<Object> call(String method, JsonObject params);

  /** Where a message to user {@code userId} goes: their private chat (Telegram: the id; MAX: {@code user:<id>}). */
  String userTarget(long userId);

  /**
   * A message to {@code target} (a chat id, or {@link #userTarget}) with inline buttons drawn the platform's way, as
   * {@link UpdateContext#sendMessage} sends one; {@code extra} is merged into the platform's call as it is.
   */
  Future<JsonObject> sendMessage(String target, String text, List<List<Button>> rows, JsonObject extra);
}
