package io.splitbot.worker.effects;

import io.splitbot.shared.telegram.AttemptGuard;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Sends one Bot API call, telling the guard of each HTTP attempt; {@code BotApiClient::call} is one. */
@FunctionalInterface
public interface GuardedSender {
  Future<Object> call(String method, JsonObject params, AttemptGuard guard);
}
