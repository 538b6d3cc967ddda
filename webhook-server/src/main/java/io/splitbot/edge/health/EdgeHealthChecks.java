package io.splitbot.edge.health;

import io.splitbot.edge.spool.Spool;
import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.monitoring.SharedProbe;
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

  /**
   * @param spoolProbe the spool's write probe, shared by the health routes: a flood of public health GETs costs a
   *     Redis spool one PING per {@link SharedProbe#DEFAULT_TTL_MS}
   */
  private static HealthChecks accepting(Vertx vertx, SharedProbe<Void> spoolProbe, Spool spool, int spoolMax, BooleanSupplier draining) {
    return HealthChecks.create(vertx)
        .register("edge", promise -> promise.complete(draining.getAsBoolean()
            ? Status.KO(new JsonObject().put("reason", "shutting down"))
            : Status.OK()))
        .register("spool", PROBE_TIMEOUT_MS, promise -> spoolProbe.get()
            .onSuccess(v -> promise.complete(Status.OK(new JsonObject().put("depth", spool.size()).put("max", spoolMax))))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject().put("reason", "the spool does not take writes")))));
  }

  /** The platform's check and the full one. */
  public record Checks(HealthChecks accepting, HealthChecks ready) {
  }

  /** Accepting and ready, sharing one spool probe and one worker ping at a time. */
  public static Checks acceptingAndReady(Vertx vertx, Spool spool, int spoolMax, BooleanSupplier draining) {
    SharedProbe<Void> spoolProbe = new SharedProbe<>(spool::probe);
    SharedProbe<JsonObject> workerPing = new SharedProbe<>(() -> vertx.eventBus()
        .<JsonObject>request(Addresses.WORKER_PING, new JsonObject(), new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .map(reply -> reply.body()));
    HealthChecks ready = accepting(vertx, spoolProbe, spool, spoolMax, draining)
        .register("worker", PING_TIMEOUT_MS + 500, promise -> workerPing.get()
            .onSuccess(body -> promise.complete(Status.OK(body)))
            .onFailure(e -> promise.complete(Status.KO(new JsonObject()
                .put("reason", "no worker answered on the event bus")))));
    return new Checks(accepting(vertx, spoolProbe, spool, spoolMax, draining), ready);
  }
}
