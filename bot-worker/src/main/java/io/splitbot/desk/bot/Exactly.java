package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The desk's writes, run through {@link UpdateContext#once}: when the update runs again, the first run's result is
 * returned instead of writing again. Every write passed here is also idempotent by key, which settles the one case
 * {@code once} cannot: a run that crashed in the middle of the write, whose outcome is unknown. Then the write is
 * simply done again, and finds its own earlier work (the same update id in the conversation state, the same
 * comment id, the request under its reserved number, the status already moved by this user).
 */
public final class Exactly {
  private Exactly() {
  }

  public static Future<JsonObject> once(UpdateContext ctx, String label, Supplier<Future<JsonObject>> idempotentWrite) {
    return once(ctx, label, resuming -> idempotentWrite.get());
  }

  /** As {@link #once(UpdateContext, String, Supplier)}; the write is told whether it is finishing a crashed run. */
  public static Future<JsonObject> once(UpdateContext ctx, String label, Function<Boolean, Future<JsonObject>> idempotentWrite) {
    return ctx.once(label, () -> idempotentWrite.apply(false)).compose(result -> result != null && result.getBoolean("splitbot_uncertain", false)
        ? idempotentWrite.apply(true)
        : Future.succeededFuture(result));
  }
}
