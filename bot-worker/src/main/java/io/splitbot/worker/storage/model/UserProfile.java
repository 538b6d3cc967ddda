package io.splitbot.worker.storage.model;

import java.time.Instant;
import java.util.Set;

/** Who a Telegram user is, captured from updates ({@code webhook}) or entered by staff ({@code manual}). */
public record UserProfile(
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

  public UserProfile {
    firstName = Values.blankToNull(firstName);
    lastName = Values.blankToNull(lastName);
    username = Values.blankToNull(username);
    languageCode = Values.blankToNull(languageCode);
    profileSource = Values.oneOf("profile_source", profileSource == null ? SOURCE_WEBHOOK : profileSource, SOURCES);
    Instant now = Values.now();
    profileLastUpdated = profileLastUpdated == null ? now : Values.millis(profileLastUpdated);
    createdAt = createdAt == null ? profileLastUpdated : Values.millis(createdAt);
  }

  /** A profile as seen in an update's {@code from}; timestamps are set to now. */
  public static UserProfile fromWebhook(long userId, String firstName, String lastName, String username, String languageCode) {
    return new UserProfile(userId, firstName, lastName, username, languageCode, SOURCE_WEBHOOK, null, null);
  }

  public String displayName() {
    String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
    if (!name.isEmpty()) {
      return name;
    }
    return username != null ? "@" + username : String.valueOf(userId);
  }
}
