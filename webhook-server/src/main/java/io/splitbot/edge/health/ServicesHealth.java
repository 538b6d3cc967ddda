package io.splitbot.edge.health;

import io.splitbot.edge.deadletter.EdgeDeadLetters;
import io.splitbot.edge.routing.LegacyWebhookClient;
import io.splitbot.edge.spool.Spool;
import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.cluster.Members;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.http.HealthAnswer;
import io.splitbot.shared.http.MonitoringAccess;
import io.splitbot.shared.monitoring.SharedProbe;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /health/services}: one view of everything the bot depends on, each part with its status and latency:
 * the edge itself, the worker (asked over the event bus, so it works in one JVM and across the cluster), Redis and
 * the storage as the worker sees them, and the legacy bot when one is configured. A part is {@code required} when the
 * bot cannot deliver without it; the answer is 503 when a required part is not UP. The edge's port is public, so
 * anyone gets only the status and the names of the parts that are not up, the detail goes to callers
 * {@link MonitoringAccess} allows, and even that names no URL, path or host (reasons are fixed texts), only states
 * and timings. {@code members} lists every edge and worker on the bus ({@link Members}: role, node id, in-flight
 * count, when last heard), for the detail only. One check runs at a time and its answer serves every request for
 * {@link SharedProbe#DEFAULT_TTL_MS}.
 *
 * <p>The edge part also counts the edge's dead letters (updates the worker or the legacy bot refused every attempt),
 * only the count, since an update's content is not for a public port. They leave the status as it is: they are
 * parked, not in the way, and the edge still accepts and delivers everything else. A health check that failed on
 * them would have the platform restart or stop routing to an edge that works, which helps no one; the count is for
 * the operator's alerting.
 */
public final class ServicesHealth {
  static final long WORKER_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final SplitbotConfig config;
  private final Spool spool;
  private final LegacyWebhookClient legacy;
  private final EdgeDeadLetters deadLetters;
  private final BooleanSupplier draining;
  private final Members members;
  /** The whole answer, shared by concurrent requests and reused for a moment: a flood of GETs is one probe. */
  private final SharedProbe<Answer> shared;

  /**
   * @param legacy the legacy bot's webhook, or null when none is configured
   * @param deadLetters the edge's dead letters
   * @param members the edge's membership view: every edge and worker on the bus, listed in the detail
   */
  public ServicesHealth(Vertx vertx, SplitbotConfig config, Spool spool, LegacyWebhookClient legacy,
      EdgeDeadLetters deadLetters, Members members, BooleanSupplier draining) {
    this.members = members;
    this.vertx = vertx;
    this.config = config;
    this.spool = spool;
    this.legacy = legacy;
    this.deadLetters = deadLetters;
    this.draining = draining;
    this.shared = new SharedProbe<>(() -> check().transform(ar -> Future.succeededFuture(Answer.of(ar))));
  }


  /**
   * Anyone gets the overall status and the names of the parts that are not up; a caller {@code access} allows gets
   * every part's detail.
   */
  public Handler<RoutingContext> handler(MonitoringAccess access) {
    return ctx -> shared.get().onSuccess(a -> HealthAnswer.respond(ctx, a.status(), access.allowed(ctx) ? a.detail() : a.summary()));
  }

  /** The detail, as a caller {@code access} allows gets it from {@code /health/services}; from the same shared check. */
  public Future<JsonObject> detail() {
    return shared.get().map(a -> new JsonObject(a.detail()));
  }

  /** One check's answer in both forms, encoded once for every request that shares it. */
  private record Answer(int status, String detail, String summary) {
    static Answer of(AsyncResult<JsonObject> checked) {
      JsonObject body = checked.succeeded()
          ? checked.result()
          : new JsonObject().put("status", "DOWN").put("error", "the health check failed");
      boolean up = "UP".equals(body.getString("status"));
      JsonArray failing = new JsonArray();
      body.getJsonObject("services", new JsonObject()).forEach(e -> {
        String status = ((JsonObject) e.getValue()).getString("status");
        if (!"UP".equals(status) && !"NOT_CONFIGURED".equals(status)) {
          failing.add(e.getKey());
        }
      });
      return new Answer(up ? 200 : 503, body.encodePrettily(), HealthAnswer.summary(up, failing).encode());
    }
  }

  public Future<JsonObject> check() {
    JsonObject edge = edge();
    JsonObject services = new JsonObject().put("edge", edge);
    Future<Void> edgeLetters = deadLetters.countJson().map(count -> {
      edge.put("dead_letters", count);
      return null;
    });
    Future<Void> worker = workerParts(services);
    Future<Void> legacyPart = legacy == null ? Future.succeededFuture() : legacy.probe().map(p -> {
      JsonObject part = new JsonObject()
          .put("status", p.getBoolean("up") ? "UP" : "DOWN")
          .put("latency_ms", p.getLong("latency_ms"))
          .put("required", legacyRequired());
      if (p.containsKey("http_status")) {
        part.put("http_status", p.getInteger("http_status"));
      }
      if (p.containsKey("reason")) {
        part.put("reason", p.getString("reason"));
      }
      services.put("legacy", part);
      return null;
    });
    return Future.join(edgeLetters, worker, legacyPart).map(v -> {
      boolean up = services.stream().allMatch(e -> {
        JsonObject part = (JsonObject) e.getValue();
        return !part.getBoolean("required", false) || "UP".equals(part.getString("status"));
      });
      return new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("checked_at", Instant.now().toString())
          .put("services", services)
          .put("members", members.toJson());
    });
  }

  private JsonObject edge() {
    boolean stopping = draining.getAsBoolean();
    JsonObject part = new JsonObject()
        .put("status", stopping ? "DOWN" : "UP")
        .put("latency_ms", 0)
        .put("required", true)
        .put("spool", new JsonObject()
            .put("kind", config.delivery().spool())
            .put("depth", spool.size())
            .put("max", config.delivery().spoolMaxUpdates()));
    if (stopping) {
      part.put("reason", "shutting down");
    }
    return part;
  }

  /**
   * The worker, and through it Redis and the storage; all three are required, and unknown when no worker answers.
   * With dual storage also the migration (state, copied/total, score, lease holder, side read), not required.
   */
  private Future<Void> workerParts(JsonObject services) {
    long started = System.nanoTime();
    return vertx.eventBus()
        .<JsonObject>request(Addresses.WORKER_HEALTH, new JsonObject(), new DeliveryOptions().setSendTimeout(WORKER_TIMEOUT_MS))
        .map(reply -> {
          JsonObject body = reply.body();
          JsonObject worker = body.getJsonObject("worker", new JsonObject()).copy();
          worker.put("status", worker.getString("status", "UP"))
              .put("latency_ms", (System.nanoTime() - started) / 1_000_000)
              .put("required", true);
          services.put("worker", worker);
          services.put("redis", body.getJsonObject("redis", new JsonObject().put("status", "UNKNOWN")).copy()
              .put("required", body.getJsonObject("redis", new JsonObject()).getBoolean("configured", true)));
          services.put("storage", body.getJsonObject("storage", new JsonObject().put("status", "UNKNOWN")).copy()
              .put("required", true));
          JsonObject migration = body.getJsonObject("migration");
          if (migration != null) {
            // dual storage's migration into the primary: the worker serves whatever its state
            services.put("migration", migration.copy().put("required", false));
          }
          return (Void) null;
        })
        .recover(e -> {
          String reason = "no worker answered on the event bus";
          services.put("worker", new JsonObject().put("status", "DOWN").put("required", true)
              .put("latency_ms", (System.nanoTime() - started) / 1_000_000).put("reason", reason));
          JsonObject unknown = new JsonObject().put("status", "UNKNOWN").put("required", true)
              .put("reason", "checked through the worker, which did not answer");
          services.put("redis", unknown.copy());
          services.put("storage", unknown.copy());
          return Future.succeededFuture();
        });
  }

  /** Legacy matters while any chat can be routed to it. */
  private boolean legacyRequired() {
    SplitbotConfig.Routing r = config.routing();
    return r.useLegacy() || r.rolloutBasisPoints() < 10_000;
  }
}
