package io.splitbot.desk.bot;

import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.json.JsonObject;

/**
 * The desk's parts of a chat's session, each an object keyed by user id (several people may talk to the desk in one
 * group): {@code conversations} (where each user's /new stands) and {@code find_queries} (each user's last /find).
 */
final class DeskSession {
  private DeskSession() {
  }

  /** The named part, created empty on first use. */
  static JsonObject part(UpdateContext ctx, String name) {
    JsonObject part = ctx.session().getJsonObject(name);
    if (part == null) {
      part = new JsonObject();
      ctx.session().put(name, part);
    }
    return part;
  }
}
