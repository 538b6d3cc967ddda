package io.splitbot.desk.api;

import io.splitbot.shared.http.BearerToken;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets a request through only with {@code Authorization: Bearer <INTERNAL_API_TOKEN>}, compared in constant time
 * ({@link BearerToken}). The token is never logged or echoed.
 */
public final class BearerAuth implements Handler<RoutingContext> {
  private final BearerToken expected;
  private final ApiReplies replies;

  public BearerAuth(String token, ApiReplies replies) {
    this.expected = new BearerToken(token);
    this.replies = replies;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (matches(ctx.request().getHeader("Authorization"))) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"splitbot\"");
      replies.failure(ctx, 401, "api.unauthorized");
    }
  }

  boolean matches(String header) {
    return expected.matches(header);
  }
}
