package io.splitbot.shared.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Every error the edge gives is a JSON body with a reason, never a stack trace. */
public final class JsonErrors {
  private JsonErrors() {
  }

  public static void send(RoutingContext ctx, int status, String reason) {
    send(ctx.response(), status, reason);
  }

  public static void send(HttpServerResponse response, int status, String reason) {
    if (response.ended() || response.headWritten()) {
      return;
    }
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("ok", false).put("error", reason).encode());
  }

  /** 503 with Retry-After: Telegram keeps the update and redelivers it. */
  public static void retryLater(RoutingContext ctx, int retryAfterSeconds, String reason) {
    retryLater(ctx.response(), retryAfterSeconds, reason);
  }

  public static void retryLater(HttpServerResponse response, int retryAfterSeconds, String reason) {
    if (!response.ended()) {
      response.putHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }
    send(response, 503, reason);
  }
}
