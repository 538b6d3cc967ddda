package io.splitbot.worker.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/** The way out to the platform for one update's handlers; every outgoing call goes through here. */
@FunctionalInterface
public interface BotCalls {
  Future<Object> call(String method, JsonObject params);

  /**
   * Runs a side effect of the handler at most once per update, even when the update runs again after a failed
   * attempt or a crash; a repeat returns the first run's result. Plain calls have no such guard.
   */
  default Future<Object> once(String label, Supplier<Future<Object>> effect) {
    return effect.get();
  }
}
