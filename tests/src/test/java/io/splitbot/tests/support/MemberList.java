package io.splitbot.tests.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The members a process lists (the edge's /health/services detail, the worker's /monitoring/members). */
public final class MemberList {
  private MemberList() {
  }

  /** The members the worker on {@code workerPort} lists. */
  public static JsonArray fromWorker(int workerPort, String token) throws Exception {
    return Http.get(workerPort, "/monitoring/members", token).json().getJsonArray("members");
  }

  /** The node ids of the members in {@code role}, oldest first. */
  public static List<String> nodes(JsonArray members, String role) {
    return members.stream().map(JsonObject.class::cast).filter(m -> role.equals(m.getString("role")))
        .map(m -> m.getString("node")).toList();
  }

  /** The Prometheus label naming the process of the one member in {@code role}, as every series it exports has it. */
  public static String instanceLabel(JsonArray members, String role) {
    List<String> nodes = nodes(members, role);
    if (nodes.size() != 1) {
      throw new AssertionError("not one " + role + " in " + members.encode());
    }
    return "instance=\"" + nodes.get(0) + "\"";
  }
}
