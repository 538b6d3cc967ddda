package io.splitbot.shared.log;

import java.util.regex.Pattern;

/** Masks secrets in any text before it reaches a log line or an error message. */
public final class Redactor {
  // The Bot API puts the token in the path: /bot123456:AA.../sendMessage
  private static final Pattern BOT_TOKEN = Pattern.compile("(\\d{3,}):[A-Za-z0-9_-]{20,}");
  // Credentials in URLs: redis://:pass@host, postgresql://user:pass@host
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^:/@\\s]*):[^@/\\s]+@");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");

  private Redactor() {
  }

  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = BOT_TOKEN.matcher(text).replaceAll("$1:***");
    out = URL_PASSWORD.matcher(out).replaceAll("$1:***@");
    return BEARER.matcher(out).replaceAll("$1***");
  }
}
