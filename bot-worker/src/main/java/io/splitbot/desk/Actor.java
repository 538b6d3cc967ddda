package io.splitbot.desk;

/**
 * Who asks the desk to do something. A Telegram user is an admin when listed in ADMIN_USER_IDS; whether they are
 * the requester or the executor depends on the request. The internal API acts as {@link #system}: its callers are
 * trusted services, and {@code userId} only records who they act for (0 when nobody).
 */
public record Actor(long userId, boolean admin, boolean system) {

  public static Actor user(long userId, DeskConfig config) {
    return new Actor(userId, config.isAdmin(userId), false);
  }

  public static Actor system(long onBehalfOf) {
    return new Actor(onBehalfOf, true, true);
  }
}
