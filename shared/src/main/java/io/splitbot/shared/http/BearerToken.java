package io.splitbot.shared.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One secret presented as {@code Authorization: Bearer <token>} (the internal API's INTERNAL_API_TOKEN, monitoring's
 * MONITORING_TOKEN). Both sides are hashed before {@link MessageDigest#isEqual}, so the comparison takes the same
 * time whatever the token's length or where it differs. The token is never logged or echoed.
 */
public final class BearerToken {
  private final byte[] expected;

  public BearerToken(String token) {
    if (token == null || token.isEmpty()) {
      throw new IllegalArgumentException("a bearer token must not be empty");
    }
    this.expected = sha256(token);
  }

  /** @param authorization the request's Authorization header, or null */
  public boolean matches(String authorization) {
    String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        ? authorization.substring(7).trim()
        : "";
    // compare digests even for a missing token, so every refusal costs the same
    return MessageDigest.isEqual(expected, sha256(presented)) && !presented.isEmpty();
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
