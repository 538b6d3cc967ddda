package io.splitbot.edge.health;

import io.splitbot.edge.spool.Spool;
import io.splitbot.shared.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import java.util.function.BooleanSupplier;

/**
 * Liveness: the edge's event loop answers. Accepting: the edge can take updates, that is it is not shutting down and
 * its spool takes writes; this is the platform's health check, because a worker that is away (a deploy, a crash) is
 * what the spool is for, and restarting the edge then would only add an outage. Readiness: that, and a worker
 * consumer answers on the event bus. A failing check is named in the 503 body.
 */
public final class EdgeHealthChecks {
  /** The path for the platform's health check (Render's healthCheckPath). */
  public static final String ACCEPTING_PATH = "/health/accepting";
  private static final long PING_TIMEOUT_MS = 2000;
  private static final long PROBE_TIMEOUT_MS = 3000;

  private EdgeHealthChecks() {
  }

  public static HealthChecks live(Vertx vertx) {
    return HealthChecks.create(vertx).register("edge", promise -> promise.complete(Status.OK()));
  }

  public static HealthChecks accepting(Vertx vertx, Spool spool, int spoolMax, BooleanSupplier draining) {
    return HealthChecks.create(vertx)
        .register("edge", promise -> promise.complete(draining.getAsBoolean()
            ? Status.KO(new JsonObject().put("reason", "shutting down"))
            : Status.OK()))
        .register("spool", PROBE_TIMEOUT_MS, promise -> spool.probe()
            .onSuccess(v -> promise.complete(Status.OK(new JsonObject().put("depth", spool.size()).put("max", spoolMax))))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("reason", "the spool does not take writes")))));
  }

  public static HealthChecks ready(Vertx vertx, Spool spool, int spoolMax, BooleanSupplier draining) {
    return accepting(vertx, spool, spoolMax, draining)
        .register("worker", PING_TIMEOUT_MS + 500, promise -> vertx.eventBus()
            .<JsonObject>request(Addresses.WORKER_PING, new JsonObject(), new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
            .onSuccess(reply -> promise.complete(Status.OK(reply.body())))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject()
                .put("reason", "no worker answered on the event bus: " + e.getMessage())))));
  }
}
