package io.splitbot.shared.store;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A caller of a background writer (a group commit), waiting for its change to be written. A writer completes a
 * whole batch with {@link #completeAll}: one task per event loop, not one per change, and inside it each promise
 * on its caller's own (duplicated) context, so what follows still runs with that caller's log fields.
 */
public record Waiting(ContextInternal caller, Promise<Void> promise) {

  /** The current caller (its context, created if there is none) and a fresh promise. */
  public static Waiting here(Vertx vertx) {
    return new Waiting((ContextInternal) vertx.getOrCreateContext(), Promise.promise());
  }

  /** Completes, or with {@code failure} fails, every one of {@code batch}, in batch order per event loop. */
  public static void completeAll(List<Waiting> batch, Throwable failure) {
    Map<Context, List<Waiting>> byLoop = new IdentityHashMap<>(4);
    for (Waiting waiting : batch) {
      byLoop.computeIfAbsent(waiting.caller().unwrap(), c -> new ArrayList<>(batch.size())).add(waiting);
    }
    byLoop.forEach((loop, waiters) -> loop.runOnContext(v -> {
      for (Waiting waiting : waiters) {
        waiting.caller().dispatch(x -> {
          if (failure == null) {
            waiting.promise().complete();
          } else {
            waiting.promise().fail(failure);
          }
        });
      }
    }));
  }
}
