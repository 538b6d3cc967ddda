package io.splitbot.desk;

import io.splitbot.desk.storage.ServiceRequest;

/**
 * Who may do what with a request. Requester: whoever filed it. Executor: the user assigned to it. Admin: a user in
 * ADMIN_USER_IDS (and the internal API). Each is a user of one platform. The rules live here only, so the bot and the API cannot drift apart.
 */
public final class Roles {
  private Roles() {
  }

  /** The same user on the same platform: Telegram user 5 is not MAX user 5. */
  public static boolean isRequester(ServiceRequest r, Actor a) {
    return a.is(r.requester());
  }

  public static boolean isExecutor(ServiceRequest r, Actor a) {
    return a.is(r.executor());
  }

  public static boolean canView(ServiceRequest r, Actor a) {
    return a.admin() || isRequester(r, a) || isExecutor(r, a);
  }

  /** Executors and admins move a request along its life cycle; the requester alone does not. */
  public static boolean canChangeStatus(ServiceRequest r, Actor a) {
    return a.admin() || isExecutor(r, a);
  }

  public static boolean canComment(ServiceRequest r, Actor a) {
    return canView(r, a);
  }

  public static boolean canAssign(Actor a) {
    return a.admin();
  }
}
