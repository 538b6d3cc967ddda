package io.splitbot.tests.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The ceiling: a Vert.x HTTP server that does the least a webhook endpoint can do. It reads the body, parses it as
 * JSON, reads update_id and answers 200 {@code {}}, on one event loop like the edge's one verticle. No spool, no
 * router, no checks. {@code java ... NoopServer <port>}.
 */
public final class NoopServer {
  private NoopServer() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          long updateId = body.length() == 0 ? -1 : new JsonObject(body).getLong("update_id", -1L);
          if (updateId < 0 && req.method().name().equals("POST")) {
            req.response().setStatusCode(400).end("{\"ok\":false}");
            return;
          }
          req.response().putHeader("Content-Type", "application/json").end("{}");
        }))
        .listen(port, "127.0.0.1")
        .onSuccess(s -> System.out.println("noop server listening on " + s.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
