package io.splitbot.worker.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.splitbot.shared.http.JsonErrors;
import io.splitbot.shared.http.ServerOptions;
import io.splitbot.shared.log.LogContext;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/** The worker's own HTTP port: health now; the internal API and monitoring mount on {@link #router()}. */
public final class WorkerHttpServer {
  private final Vertx vertx;
  private final Router router;
  private HttpServer server;

  public WorkerHttpServer(Vertx vertx, HealthChecks live, HealthChecks ready) {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    // First on every request (internal API, monitoring, health): a request_id on each line logged while it runs.
    router.route().order(-1000).handler(LogContext.requestIds());
    router.get("/health/live").handler(HealthCheckHandler.createWithHealthChecks(live));
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    router.errorHandler(404, ctx -> JsonErrors.send(ctx, 404, "not found"));
    router.errorHandler(405, ctx -> JsonErrors.send(ctx, 405, "method not allowed"));
    router.errorHandler(500, ctx -> JsonErrors.send(ctx, 500, "internal error"));
  }

  public Router router() {
    return router;
  }

  public Future<HttpServer> listen(int port, String host) {
    return vertx.createHttpServer(ServerOptions.http1()).requestHandler(router).listen(port, host).onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
