package io.splitbot.worker.bot;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** Runs around every update before routing, e.g. to capture profiles or load conversation state. */
@FunctionalInterface
public interface Middleware {
  Future<Void> handle(UpdateContext ctx, Supplier<Future<Void>> next) throws Exception;
}
