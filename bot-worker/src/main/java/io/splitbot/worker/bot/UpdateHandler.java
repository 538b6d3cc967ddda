package io.splitbot.worker.bot;

import io.vertx.core.Future;

/** Handles one update. A returned failure, or a thrown exception, counts as a failed attempt. */
@FunctionalInterface
public interface UpdateHandler {
  Future<Void> handle(UpdateContext ctx) throws Exception;
}
