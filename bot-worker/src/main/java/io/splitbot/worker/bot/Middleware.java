package io.splitbot.worker.bot;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Runs around every update before routing, e.g. to log, check access or load data: call {@code next.get()} to go on,
 * or return without calling it to stop the update there. The same no-blocking rule as {@link UpdateHandler}'s holds.
 */
@FunctionalInterface
public interface Middleware {
  Future<?> handle(UpdateContext ctx, Supplier<Future<Void>> next) throws Exception;
}
