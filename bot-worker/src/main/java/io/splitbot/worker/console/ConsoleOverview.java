package io.splitbot.worker.console;

import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.cluster.Members;
import io.splitbot.worker.pipeline.ChatSequencer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The ops console's tables, as one answer: the updates in flight per chat (the pipeline's {@link ChatSequencer}), the
 * rollout share and the legacy/new split (the edges' routing settings and counts, asked over the event bus as
 * {@code /monitoring/webhook/stats} asks them), and the health of every dependency and member (the edge's
 * {@code /health/services} detail over the event bus; without an edge, as in polling mode, the worker's own parts).
 */
final class ConsoleOverview {
  /** The chats listed: the busiest; the total says how many there are. */
  static final int CHAT_ROWS = 50;
  static final long EDGE_TIMEOUT_MS = 3_000;
  static final String NO_EDGE = "no edge answered on the event bus (polling mode, or the edge is down)";

  private final Vertx vertx;
  private final Supplier<List<ChatSequencer.ChatLoad>> chats;
  private final IntSupplier inFlight;
  private final Supplier<Future<JsonObject>> edges;
  private final Supplier<Future<JsonObject>> workerHealth;
  private final Members members;

  /**
   * @param chats the sequencer's chats, empty while the worker handles no updates
   * @param inFlight updates accepted and not yet answered, waiting for their chat's turn included
   * @param edges the edges' stats added up; fails when none answers
   * @param workerHealth the worker's own parts, as it answers the edge's health probe
   */
  ConsoleOverview(Vertx vertx, Supplier<List<ChatSequencer.ChatLoad>> chats, IntSupplier inFlight,
      Supplier<Future<JsonObject>> edges, Supplier<Future<JsonObject>> workerHealth, Members members) {
    this.vertx = vertx;
    this.chats = chats;
    this.inFlight = inFlight;
    this.edges = edges;
    this.workerHealth = workerHealth;
    this.members = members;
  }

  Future<JsonObject> report() {
    JsonObject chatsNow = inFlight();
    Future<JsonObject> rollout = edges.get().map(ConsoleOverview::rollout)
        .otherwise(e -> new JsonObject().put("reachable", false).put("reason", NO_EDGE));
    Future<JsonObject> health = health();
    return Future.all(rollout, health).map(all -> new JsonObject()
        .put("in_flight", chatsNow)
        .put("rollout", rollout.result())
        .put("health", health.result()));
  }

  private JsonObject inFlight() {
    long now = System.currentTimeMillis();
    List<ChatSequencer.ChatLoad> loads = chats.get();
    JsonArray rows = new JsonArray();
    loads.stream().limit(CHAT_ROWS).forEach(load -> rows.add(new JsonObject()
        .put("chat", load.chat())
        .put("running", load.running())
        .put("running_ms", load.running() ? Math.max(0, now - load.runningSinceMillis()) : null)
        .put("queued", load.queued())));
    return new JsonObject().put("updates", inFlight.getAsInt()).put("chats_total", loads.size()).put("chats", rows);
  }

  /** The routing settings and what they did, from the edges' figures added up. */
  private static JsonObject rollout(JsonObject edge) {
    JsonObject routing = edge.getJsonObject("routing", new JsonObject());
    JsonObject totals = edge.getJsonObject("totals", new JsonObject());
    JsonObject routed = totals.getJsonObject("routed", new JsonObject());
    JsonObject minute = edge.getJsonObject("per_minute", new JsonObject());
    return new JsonObject()
        .put("reachable", true)
        .put("enabled", routing.getBoolean("enabled", false))
        .put("use_legacy", routing.getBoolean("use_legacy", false))
        .put("share_percent", routing.getLong("rollout_basis_points", 10_000L) / 100.0)
        .put("allowed_chats", routing.getLong("allowed_chats", 0L))
        .put("routed", new JsonObject()
            .put("worker", routed.getLong("worker", 0L))
            .put("legacy", routed.getLong("legacy", 0L)))
        .put("routed_last_minute", new JsonObject()
            .put("worker", minute.getLong("routed_worker", 0L))
            .put("legacy", minute.getLong("routed_legacy", 0L)))
        .put("legacy_deliveries", totals.getJsonObject("legacy", new JsonObject()));
  }

  /**
   * What {@code /health/services} answers a caller allowed its detail, asked of an edge; without one, the worker's own
   * parts and the members this worker sees, with the edge marked as not answering.
   */
  private Future<JsonObject> health() {
    return vertx.eventBus()
        .<JsonObject>request(Addresses.EDGE_SERVICES, new JsonObject(), new DeliveryOptions().setSendTimeout(EDGE_TIMEOUT_MS))
        .map(Message::body)
        .map(detail -> detail.copy().put("source", "edge"))
        .recover(e -> workerHealth.get().map(parts -> {
          JsonObject services = new JsonObject()
              .put("edge", new JsonObject().put("status", "UNKNOWN").put("reason", NO_EDGE));
          parts.forEach(part -> services.put(part.getKey(), part.getValue()));
          return new JsonObject().put("source", "worker").put("services", services).put("members", members.toJson());
        }));
  }
}
