package io.splitbot.desk;

import io.splitbot.desk.storage.UserRef;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Env;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The desk bot's settings: who the admins are, the language for users whose platform tells us nothing, the day
 * boundary of request numbers and their database fallback, and the internal API's bearer token.
 *
 * @param admins ADMIN_USER_IDS: the users with the admin role; a bare id is Telegram's, {@code max:<id>} MAX's
 * @param defaultLanguage BOT_DEFAULT_LANGUAGE: {@code en} or {@code ru}
 * @param timeZone BOT_TIME_ZONE: the zone whose calendar day a request number counts in, and dates are shown in
 * @param internalApiToken INTERNAL_API_TOKEN: null leaves the internal API off
 * @param dbFallback ENABLE_DB_FALLBACK: while Redis is unavailable, request numbers come from the database counter;
 *     false makes a Redis outage "retry later"
 * @param dbFallbackBatchSize DB_FALLBACK_BATCH_SIZE: how many numbers a worker reserves from the database at a time
 */
public record DeskConfig(Set<UserRef> admins, String defaultLanguage, ZoneId timeZone, String internalApiToken,
    boolean dbFallback, int dbFallbackBatchSize) {

  public static final Set<String> LANGUAGES = Set.of("en", "ru");
  /** The platforms an ADMIN_USER_IDS entry may name. */
  public static final Set<String> PLATFORMS = Set.of("telegram", "max");
  public static final int MIN_TOKEN_LENGTH = 16;
  /** The seed's default batch. */
  public static final int DEFAULT_BATCH_SIZE = 10;
  public static final int MAX_BATCH_SIZE = 10_000;

  public DeskConfig {
    admins = Set.copyOf(admins);
  }

  public static DeskConfig fromEnv(Map<String, String> vars) {
    return fromEnv(new Env(vars));
  }

  public static DeskConfig fromEnv(Env env) {
    Set<UserRef> admins = new LinkedHashSet<>();
    for (String entry : env.list("ADMIN_USER_IDS", "")) {
      try {
        UserRef admin = UserRef.parse(entry);
        if (!PLATFORMS.contains(admin.platform())) {
          throw new IllegalArgumentException(admin.platform());
        }
        admins.add(admin);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("ADMIN_USER_IDS must be a comma-separated list of user ids: a Telegram user id as a "
            + "positive whole number, a MAX user id as max:<id> (e.g. 123456789,max:5550123), got '" + entry + "'");
      }
    }
    String language = env.oneOf("BOT_DEFAULT_LANGUAGE", "en", LANGUAGES);
    ZoneId zone;
    String zoneName = env.string("BOT_TIME_ZONE", "UTC");
    try {
      zone = ZoneId.of(zoneName);
    } catch (DateTimeException e) {
      throw new ConfigException("BOT_TIME_ZONE must be a time zone such as UTC, Europe/Moscow or Asia/Tashkent, got '" + zoneName + "'");
    }
    String token = env.secret("INTERNAL_API_TOKEN");
    if (token != null && (token.length() < MIN_TOKEN_LENGTH || !token.matches("[\\x21-\\x7E]+"))) {
      // never echo the value: it is a secret
      throw new ConfigException("INTERNAL_API_TOKEN must be at least " + MIN_TOKEN_LENGTH
          + " printable ASCII characters without spaces (e.g. the output of `openssl rand -hex 32`)");
    }
    boolean dbFallback = env.bool("ENABLE_DB_FALLBACK", true);
    int batchSize = env.integer("DB_FALLBACK_BATCH_SIZE", DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE);
    return new DeskConfig(admins, language, zone, token, dbFallback, batchSize);
  }

  /** The settings with nothing set: no admins, English, UTC, no API, the database fallback in blocks of 10. */
  public static DeskConfig defaults() {
    return fromEnv(Map.of());
  }

  public boolean apiEnabled() {
    return internalApiToken != null;
  }

  public boolean isAdmin(UserRef user) {
    return admins.contains(user);
  }

  public boolean isAdmin(String platform, long userId) {
    return isAdmin(new UserRef(platform, userId));
  }

  @Override
  public String toString() {
    return "DeskConfig[admins=" + admins + ", defaultLanguage=" + defaultLanguage + ", timeZone=" + timeZone
        + ", internalApiToken=" + (internalApiToken == null ? "unset" : "***") + ", dbFallback=" + dbFallback
        + ", dbFallbackBatchSize=" + dbFallbackBatchSize + "]";
  }
}
