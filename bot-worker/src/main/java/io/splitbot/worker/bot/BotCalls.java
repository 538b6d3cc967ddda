package io.splitbot.worker.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** The way out to the platform for one update's handlers; every outgoing call goes through here. */
@FunctionalInterface
public interface BotCalls {
  Future<Object> call(String method, JsonObject params);
}
