package io.splitbot.worker.console;

import io.splitbot.shared.http.JsonErrors;
import io.splitbot.shared.log.Redactor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How the console's data endpoints answer: JSON, never cached; a store that did not answer is a 503 with a fixed reason. */
final class ConsoleAnswers {
  private static final Logger log = LoggerFactory.getLogger(ConsoleAnswers.class);

  private ConsoleAnswers() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** A reason that names no host, path or key: an exception's message might. */
  static void failed(RoutingContext ctx, Throwable cause) {
    log.warn("ops console: {} {} failed: {}", ctx.request().method(), ctx.request().path(), Redactor.mask(String.valueOf(cause.getMessage())));
    JsonErrors.send(ctx, 503, "a store the console reads did not answer; try again");
  }
}
