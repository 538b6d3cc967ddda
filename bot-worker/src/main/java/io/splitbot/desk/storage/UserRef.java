package io.splitbot.desk.storage;

import java.util.regex.Pattern;

/**
 * A user of one platform, as the desk stores and addresses people: Telegram user 5 and MAX user 5 are two people.
 * Written {@code 5} for Telegram's (as ids were before there was a second platform) and {@code max:5} otherwise.
 */
public record UserRef(String platform, long id) {
  /** The platform of every user the desk stored before there was a second one. */
  public static final String TELEGRAM = "telegram";
  private static final Pattern PLATFORM = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public UserRef {
    platform = platform(platform);
  }

  public static UserRef telegram(long id) {
    return new UserRef(TELEGRAM, id);
  }

  /**
   * A stored platform: blank is Telegram's (a record written before the field existed); otherwise 1-32 of a-z, 0-9,
   * _ and -, starting with a letter.
   */
  public static String platform(String platform) {
    if (platform == null || platform.isBlank()) {
      return TELEGRAM;
    }
    if (!PLATFORM.matcher(platform).matches()) {
      throw new IllegalArgumentException("platform must be 1-32 of a-z, 0-9, _ and -, starting with a letter, got '"
          + platform + "'");
    }
    return platform;
  }

  /**
   * {@code "42"} (Telegram's user 42) or {@code "max:42"}; the id a positive whole number. Throws
   * IllegalArgumentException otherwise.
   */
  public static UserRef parse(String text) {
    String s = text == null ? "" : text.trim();
    int colon = s.indexOf(':');
    String platform = colon < 0 ? TELEGRAM : s.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
    String digits = colon < 0 ? s : s.substring(colon + 1).trim();
    long id;
    try {
      id = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a user id: '" + text + "' (a number, or <platform>:<number>)");
    }
    if (id <= 0 || platform.isEmpty()) {
      throw new IllegalArgumentException("not a user id: '" + text + "' (a positive number, or <platform>:<number>)");
    }
    return new UserRef(platform, id);
  }

  public boolean isTelegram() {
    return TELEGRAM.equals(platform);
  }

  /** As {@link #parse} reads it. */
  @Override
  public String toString() {
    return isTelegram() ? Long.toString(id) : platform + ":" + id;
  }
}
