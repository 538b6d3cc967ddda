package io.splitbot.worker.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.splitbot.shared.http.HealthAnswer;
import io.splitbot.shared.http.JsonErrors;
import io.splitbot.shared.http.MonitoringAccess;
import io.splitbot.shared.http.ServerOptions;
import io.splitbot.shared.log.LogContext;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;

/**
 * The worker's own HTTP port, bound to loopback unless WORKER_HTTP_HOST opens it: health now; the internal API and monitoring mount on
 * {@link #router()}.
 */
public final class WorkerHttpServer {
  private final Vertx vertx;
  private final Router router;
  private HttpServer server;

  /** @param access who may read the health checks' detail (anyone gets the status and the failing checks' names) */
  public WorkerHttpServer(Vertx vertx, HealthChecks live, HealthChecks ready, MonitoringAccess access) {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    // First on every request (internal API, monitoring, health): a request_id on each line logged while it runs.
    router.route().order(-1000).handler(LogContext.requestIds());
    router.get("/health/live").handler(HealthAnswer.of(live, access));
    router.get("/health/ready").handler(HealthAnswer.of(ready, access));
    router.errorHandler(404, ctx -> JsonErrors.send(ctx, 404, "not found"));
    router.errorHandler(405, ctx -> JsonErrors.send(ctx, 405, "method not allowed"));
    // What a module's own routes leave to the router (a BodyHandler's limit, a consumes() rule) is JSON too.
    router.errorHandler(400, ctx -> JsonErrors.send(ctx, 400, "bad request"));
    router.errorHandler(413, ctx -> JsonErrors.send(ctx, 413, "body is too large"));
    router.errorHandler(415, ctx -> JsonErrors.send(ctx, 415, "unsupported content type"));
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
