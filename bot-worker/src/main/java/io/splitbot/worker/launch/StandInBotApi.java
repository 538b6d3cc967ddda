package io.splitbot.worker.launch;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Bot API on loopback for the warm-up: answers every method with {@code ok}, a sent message where the worker reads
 * one back (sendMessage, editMessageText) and an unset webhook for getWebhookInfo. It checks nothing: the worker's
 * calls only need an answer of the right shape.
 */
final class StandInBotApi {
  private final Vertx vertx;
  private final AtomicLong messageIds = new AtomicLong();
  private HttpServer server;

  StandInBotApi(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> start() {
    return vertx.createHttpServer()
        .requestHandler(this::answer)
        .listen(0, "127.0.0.1")
        .onSuccess(s -> server = s)
        .mapEmpty();
  }

  /** The value for TELEGRAM_API_URL. */
  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private void answer(HttpServerRequest request) {
    String path = request.path();
    String method = path.substring(path.lastIndexOf('/') + 1);
    request.body().onComplete(body -> {
      JsonObject params = body.succeeded() && body.result().length() > 0 ? body.result().toJsonObject() : new JsonObject();
      request.response()
          .putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("ok", true).put("result", result(method, params)).encode());
    });
  }

  private Object result(String method, JsonObject params) {
    return switch (method) {
      case "sendMessage", "editMessageText" -> new JsonObject()
          .put("message_id", params.getValue("message_id", messageIds.incrementAndGet()))
          .put("date", System.currentTimeMillis() / 1000)
          .put("chat", new JsonObject().put("id", params.getValue("chat_id")).put("type", "private"))
          .put("text", params.getString("text", ""));
      case "getWebhookInfo" -> new JsonObject().put("url", "").put("has_custom_certificate", false).put("pending_update_count", 0);
      case "getMe" -> new JsonObject().put("id", 100000).put("is_bot", true).put("first_name", "warm-up").put("username", "warm_up_bot");
      default -> true;
    };
  }

  Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
