package io.splitbot.desk.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets a request through only with {@code Authorization: Bearer <INTERNAL_API_TOKEN>}. Both sides are hashed
 * before {@link MessageDigest#isEqual}, so the comparison takes the same time whatever the token's length or
 * where it differs. The token is never logged or echoed.
 */
public final class BearerAuth implements Handler<RoutingContext> {
  private final byte[] expected;
  private final ApiReplies replies;

  public BearerAuth(String token, ApiReplies replies) {
    this.expected = sha256(token);
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
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    // compare digests even for a missing token, so every refusal costs the same
    return MessageDigest.isEqual(expected, sha256(presented)) && !presented.isEmpty();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
