package io.splitbot.desk.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.i18n.Messages;
import org.junit.jupiter.api.Test;

class BearerAuthTest {
  @Test
  void onlyTheExactBearerTokenPasses() {
    BearerAuth auth = new BearerAuth("0123456789abcdef-token", new ApiReplies(Messages.load("en")));
    assertTrue(auth.matches("Bearer 0123456789abcdef-token"));
    assertTrue(auth.matches("bearer 0123456789abcdef-token"), "the scheme is case-insensitive");
    assertFalse(auth.matches(null));
    assertFalse(auth.matches(""));
    assertFalse(auth.matches("Bearer "));
    assertFalse(auth.matches("0123456789abcdef-token"));
    assertFalse(auth.matches("Basic 0123456789abcdef-token"));
    assertFalse(auth.matches("Bearer 0123456789abcdef-toke"));
    assertFalse(auth.matches("Bearer 0123456789abcdef-tokenX"));
  }
}
