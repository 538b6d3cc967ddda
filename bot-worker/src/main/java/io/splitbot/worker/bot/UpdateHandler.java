package io.splitbot.worker.bot;

import io.vertx.core.Future;

/**
 * Handles one update: {@code ctx -> ctx.reply("hi")}. A failed future, or a thrown exception, counts as a failed
 * attempt: the update runs again later, with its session as it was before. Return null for "nothing to wait for".
 *
 * <p>Handlers run on an event loop and must never block it: no JDBC, no {@code Thread.sleep}, no blocking HTTP.
 * Wrap blocking code in {@code ctx.blocking(() -> ...)}.
 */
@FunctionalInterface
public interface UpdateHandler {
  Future<?> handle(UpdateContext ctx) throws Exception;
}
