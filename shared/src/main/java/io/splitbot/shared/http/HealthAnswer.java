package io.splitbot.shared.http;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * A health endpoint (liveness, readiness): to anyone {@code {"status":"UP"|"DOWN"}} and the names of the failing
 * checks, which is all a platform's health check or a load balancer needs; the checks' detail (what Vert.x's
 * {@link HealthCheckHandler} gives) only to a caller {@link MonitoringAccess} allows. 200 when up, 503 when not.
 */
public final class HealthAnswer {
  private HealthAnswer() {
  }

  public static Handler<RoutingContext> of(HealthChecks checks, MonitoringAccess access) {
    Handler<RoutingContext> detail = HealthCheckHandler.createWithHealthChecks(checks);
    return ctx -> {
      if (access.allowed(ctx)) {
        detail.handle(ctx);
        return;
      }
      checks.checkStatus().onComplete(ar -> {
        JsonArray failing = new JsonArray();
        boolean up = ar.succeeded() && CheckResult.isUp(ar.result());
        if (ar.succeeded()) {
          collectFailing(ar.result(), failing);
        }
        send(ctx, up, failing);
      });
    };
  }

  /** The public form of any health answer: the status and the names of the parts that are not up. */
  public static void send(RoutingContext ctx, boolean up, JsonArray failing) {
    respond(ctx, up ? 200 : 503, summary(up, failing).encode());
  }

  public static JsonObject summary(boolean up, JsonArray failing) {
    JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN");
    if (!failing.isEmpty()) {
      body.put("failing", failing);
    }
    return body;
  }

  /** A health body, encoded already (a shared answer is encoded once, not once per request). */
  public static void respond(RoutingContext ctx, int status, String body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }

  private static void collectFailing(CheckResult result, JsonArray into) {
    if (result.getChecks() == null || result.getChecks().isEmpty()) {
      if (!CheckResult.isUp(result) && result.getId() != null) {
        into.add(result.getId());
      }
      return;
    }
    result.getChecks().forEach(check -> collectFailing(check, into));
  }
}
