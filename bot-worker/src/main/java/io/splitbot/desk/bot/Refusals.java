package io.splitbot.desk.bot;

import io.splitbot.desk.DeskException;
import io.splitbot.desk.i18n.Texts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A {@link DeskException} as JSON, so that a refusal is kept in an effect's recorded result like a success, and as
 * the text the user reads.
 */
final class Refusals {
  private Refusals() {
  }

  /** Turns a refusal into {@code {"error":kind,"reason":key,"args":[...]}}; other failures stay failures. */
  static Future<JsonObject> asJson(Throwable e) {
    if (!(e instanceof DeskException d)) {
      return Future.failedFuture(e);
    }
    JsonArray args = new JsonArray();
    for (Object a : d.args()) {
      args.add(String.valueOf(a));
    }
    return Future.succeededFuture(new JsonObject().put("error", d.kind().name()).put("reason", d.reason()).put("args", args));
  }

  static boolean isRefusal(JsonObject result) {
    return result.containsKey("error");
  }

  static String text(JsonObject refusal, Texts t) {
    return t.reason(refusal.getString("reason"), refusal.getJsonArray("args", new JsonArray()).getList().toArray());
  }

  static String text(DeskException e, Texts t) {
    return t.reason(e.reason(), e.args());
  }
}
