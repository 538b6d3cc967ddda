package io.splitbot.shared.deadletter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** How many dead letters a store holds, as health and monitoring show it: they answer even when the store does not. */
public final class DeadLetterCount {
  private DeadLetterCount() {
  }

  /** {@code {"count": n}}, or a null count with a reason when the store does not answer within the timeout. */
  public static Future<JsonObject> of(DeadLetterStore store, long timeoutMs) {
    return store.count().timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(n -> new JsonObject().put("count", n))
        .otherwise(e -> new JsonObject().putNull("count").put("reason", "the dead-letter store did not answer"));
  }
}
