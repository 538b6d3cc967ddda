package io.splitbot.worker.monitoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * The edges' stats answers as one: every count added up across edges (totals, per minute, per platform, spool depth,
 * deliveries pending), and each edge's own answer kept under {@code edges}. The dead letters are the exception: with
 * REDIS_URL every edge counts the one shared store, so the figure is the largest count any edge gives, not a sum;
 * and so is a Redis spool's depth (every edge reports the whole shared spool), the span of the per-minute window and
 * the spool's limit.
 */
final class EdgeFigures {
  /** Settings and spans rather than counts: the figure is the largest, not a sum. */
  private static final Set<String> LARGEST = Set.of("window_seconds", "max", "rollout_basis_points", "allowed_chats");

  private EdgeFigures() {
  }

  /** @param answers each edge's stats answer, at least one */
  static JsonObject sum(List<JsonObject> answers) {
    JsonObject total = new JsonObject();
    JsonArray edges = new JsonArray();
    Long letters = null;
    long sharedDepth = 0;
    for (JsonObject answer : answers) {
      sharedDepth = Math.max(sharedDepth, answer.getJsonObject("spool", new JsonObject()).getLong("depth", 0L));
      add(total, answer.copy());
      Long count = answer.getJsonObject("dead_letters", new JsonObject()).getLong("count");
      if (count != null) {
        letters = letters == null ? count : Math.max(letters, count);
      }
      edges.add(answer);
    }
    total.remove("edge"); // one edge's id, meaningless once added up; each is in edges
    total.remove("member");
    total.put("dead_letters", new JsonObject().put("count", letters));
    JsonObject spool = total.getJsonObject("spool");
    if (spool != null && "redis".equals(spool.getString("kind"))) {
      spool.put("depth", sharedDepth);
    }
    return total.put("edges", edges);
  }

  /** Adds {@code from}'s numbers into {@code into}, recursively; a value that is not a number keeps the first seen. */
  private static void add(JsonObject into, JsonObject from) {
    from.forEach(e -> {
      Object mine = into.getValue(e.getKey());
      Object theirs = e.getValue();
      if (mine == null) {
        into.put(e.getKey(), theirs);
      } else if (mine instanceof Number a && theirs instanceof Number b) {
        into.put(e.getKey(), LARGEST.contains(e.getKey()) ? Math.max(a.longValue(), b.longValue()) : a.longValue() + b.longValue());
      } else if (mine instanceof JsonObject a && theirs instanceof JsonObject b) {
        add(a, b);
      }
    });
  }
}
