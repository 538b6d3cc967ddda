package io.splitbot.worker.storage.model;

import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who a user of one platform is, captured from updates ({@code webhook}) or entered by staff ({@code manual}). Ids
 * are the platform's own, so a user is (platform, user_id): Telegram user 5 and MAX user 5 are two people. A profile
 * stored before platforms existed is Telegram's.
 */
public record UserProfile(
    String platform,
    long userId,
    String firstName,
    String lastName,
    String username,
    String languageCode,
    String profileSource,
    Instant profileLastUpdated,
    Instant createdAt) {

  public static final String SOURCE_WEBHOOK = "webhook";
  public static final String SOURCE_MANUAL = "manual";
  public static final Set<String> SOURCES = Set.of(SOURCE_WEBHOOK, SOURCE_MANUAL);
  /** The platform of every profile stored before there was a second one. */
  public static final String DEFAULT_PLATFORM = "telegram";
  private static final Pattern PLATFORM = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  public UserProfile {
    platform = platform == null || platform.isBlank() ? DEFAULT_PLATFORM : platform;
    if (!PLATFORM.matcher(platform).matches()) {
      throw new IllegalArgumentException("platform must be 1-32 of a-z, 0-9, _ and -, starting with a letter, got '"
          + platform + "'");
    }
    firstName = Values.blankToNull(firstName);
    lastName = Values.blankToNull(lastName);
    username = Values.blankToNull(username);
    languageCode = Values.blankToNull(languageCode);
    profileSource = Values.oneOf("profile_source", profileSource == null ? SOURCE_WEBHOOK : profileSource, SOURCES);
    Instant now = Values.now();
    profileLastUpdated = profileLastUpdated == null ? now : Values.millis(profileLastUpdated);
    createdAt = createdAt == null ? profileLastUpdated : Values.millis(createdAt);
  }

  /** A profile as seen in an update's sender; timestamps are set to now. */
  public static UserProfile fromWebhook(String platform, long userId, String firstName, String lastName, String username,
      String languageCode) {
    return new UserProfile(platform, userId, firstName, lastName, username, languageCode, SOURCE_WEBHOOK, null, null);
  }

  /** The key of the users kind: {@code platform/user_id}. */
  public static String key(String platform, long userId) {
    return platform + Kind.KEY_SEPARATOR + userId;
  }

  /** The same profile entered anew: everything from {@code seen}, the creation time kept from this one. */
  public UserProfile replacedBy(UserProfile seen) {
    return new UserProfile(seen.platform, seen.userId, seen.firstName, seen.lastName, seen.username, seen.languageCode,
        seen.profileSource, seen.profileLastUpdated, createdAt);
  }

  /**
   * A first name that names someone: present, and not just a copy of the username (with or without its @) or of the
   * id, which is what a platform puts there when the user gave no name. "Anna" with the username "anna" is a name.
   */
  public boolean hasRealFirstName() {
    if (firstName == null) {
      return false;
    }
    String name = firstName.trim();
    return !name.equals(username) && !name.equals("@" + username) && !name.equals(String.valueOf(userId));
  }

  public String displayName() {
    String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
    if (!name.isEmpty()) {
      return name;
    }
    return username != null ? "@" + username : String.valueOf(userId);
  }
}
