package io.splitbot.desk;

import io.splitbot.desk.storage.ServiceRequest;

/**
 * Who may do what with a request. Requester: whoever filed it. Executor: the user assigned to it. Admin: a user in
 * ADMIN_USER_IDS (and the internal API). The rules live here only, so the bot and the API cannot drift apart.
 */
public final class Roles {
  private Roles() {
  }

  public static boolean isRequester(ServiceRequest r, Actor a) {
    return r.requesterId() == a.userId();
  }

  public static boolean isExecutor(ServiceRequest r, Actor a) {
    return r.executorId() != null && r.executorId() == a.userId();
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
