package io.splitbot.desk;

import io.splitbot.desk.storage.UserRef;

/**
 * Who asks the desk to do something: a user of a platform, an admin when listed in ADMIN_USER_IDS; whether they are
 * the requester or the executor depends on the request. The internal API acts as {@link #system}: its callers are
 * trusted services, and {@code userId} only records who they act for (a Telegram user; 0 when nobody).
 */
public record Actor(String platform, long userId, boolean admin, boolean system) {

  public Actor {
    platform = UserRef.platform(platform);
  }

  public static Actor user(UserRef user, DeskConfig config) {
    return new Actor(user.platform(), user.id(), config.isAdmin(user), false);
  }

  /** A Telegram user. */
  public static Actor user(long userId, DeskConfig config) {
    return user(UserRef.telegram(userId), config);
  }

  public static Actor system(long onBehalfOf) {
    return new Actor(UserRef.TELEGRAM, onBehalfOf, true, true);
  }

  /** The user this actor is (for the API: the one it acts for). */
  public UserRef ref() {
    return new UserRef(platform, userId);
  }

  public boolean is(UserRef user) {
    return user != null && user.platform().equals(platform) && user.id() == userId;
  }
}
