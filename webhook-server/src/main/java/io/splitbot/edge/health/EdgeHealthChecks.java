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
 * Liveness: the edge's event loop answers. Readiness: a worker consumer answers on the event bus and the edge is
 * not shutting down; a failing check is named in the 503 body.
 */
public final class EdgeHealthChecks {
  private static final long PING_TIMEOUT_MS = 2000;

  private EdgeHealthChecks() {
  }

  public static HealthChecks live(Vertx vertx) {
    return HealthChecks.create(vertx).register("edge", promise -> promise.complete(Status.OK()));
  }

  public static HealthChecks ready(Vertx vertx, Spool spool, int spoolMax, BooleanSupplier draining) {
    return HealthChecks.create(vertx)
        .register("edge", promise -> promise.complete(draining.getAsBoolean()
            ? Status.KO(new JsonObject().put("reason", "shutting down"))
            : Status.OK()))
        .register("worker", PING_TIMEOUT_MS + 500, promise -> vertx.eventBus()
            .<JsonObject>request(Addresses.WORKER_PING, new JsonObject(), new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
            .onSuccess(reply -> promise.complete(Status.OK(reply.body())))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject()
                .put("reason", "no worker answered on the event bus: " + e.getMessage())))))
        .register("spool", promise -> promise.complete(Status.OK(new JsonObject()
            .put("depth", spool.size())
            .put("max", spoolMax))));
  }
}
