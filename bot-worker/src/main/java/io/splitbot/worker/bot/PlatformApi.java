package io.splitbot.worker.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The platform's API outside an update, for messages a bot sends on its own (a notification from its HTTP API, a
 * scheduled reminder). Calls go through the same throttle and retry rules as a handler's, but not through the
 * effect ledger: inside a handler, use the {@link UpdateContext} instead, so a retried update sends nothing twice.
 */
public interface PlatformApi {
  /** "telegram". */
  String platform();

  /** False when the platform's token is not set; every call then fails. */
  boolean configured();

  /** Any method of the platform's API, e.g. {@code call("sendMessage", {"chat_id":…, "text":…})}; the result field. */
  Future<Object> call(String method, JsonObject params);
}
