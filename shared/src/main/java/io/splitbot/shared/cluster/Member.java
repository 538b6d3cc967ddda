package io.splitbot.shared.cluster;

import io.vertx.core.json.JsonObject;

/**
 * One member of the bot as its heartbeat tells it: a process in one role (a BOT_ROLE=all process is two members, an
 * edge and a worker, with one node id). {@code shared} says whether its state is one that several of the role can
 * share: a worker's with REDIS_URL, an edge's with SPOOL=redis. Nothing in it says where the process runs.
 *
 * @param startedAt when the member started, ms since the epoch by its own clock
 * @param inFlight updates it is delivering (an edge) or running (a worker) now
 */
public record Member(String node, String role, long startedAt, int inFlight, boolean shared) {
  public static final String EDGE = "edge";
  public static final String WORKER = "worker";

  /** The member's key in a view: one per node and role. */
  public String key() {
    return node + "/" + role;
  }

  /** Started later, or in the same millisecond with the larger node id: of two that race, exactly one is newer. */
  public boolean newerThan(Member other) {
    return startedAt != other.startedAt ? startedAt > other.startedAt : node.compareTo(other.node) > 0;
  }

  /**
   * Whether this member must stop because {@code other} runs beside it. Only a member whose state is its own stops,
   * and only for another of its role: when the other is older (it was there first), or when the other's state is
   * shared (the other can go on alone; this one can never run beside anyone). Of two whose state is their own, the
   * newer one stops.
   */
  public boolean mustStopFor(Member other) {
    return !shared && role.equals(other.role) && !node.equals(other.node) && (other.shared || newerThan(other));
  }

  public Member withInFlight(int count) {
    return new Member(node, role, startedAt, count, shared);
  }

  public JsonObject toJson() {
    return new JsonObject().put("node", node).put("role", role).put("started_at", startedAt)
        .put("in_flight", inFlight).put("shared", shared);
  }

  /** @throws IllegalArgumentException when {@code json} is not a heartbeat */
  public static Member fromJson(JsonObject json) {
    String node = json.getString("node");
    String role = json.getString("role");
    if (node == null || node.isEmpty() || !(EDGE.equals(role) || WORKER.equals(role))) {
      throw new IllegalArgumentException("not a member heartbeat");
    }
    return new Member(node, role, json.getLong("started_at", 0L), json.getInteger("in_flight", 0),
        json.getBoolean("shared", false));
  }
}
