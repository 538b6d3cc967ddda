package io.splitbot.shared.platform.max;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A local HTTP server that answers as the MAX API documents: the token alone in the Authorization header, errors as
 * {@code {code, message}} with the HTTP status, {@code {success: true}} for actions, a new message to a chat_id or a
 * user_id with a text of at most 4000 characters (counted in UTF-16 units, as a Java server counts). Scripted answers
 * ({@link #then}) take the next requests first; everything it receives is recorded.
 */
final class MaxLikeServer {
  /** One request as it arrived: {@code query} decoded, {@code body} null when there was none. */
  record Received(String verb, String path, String uri, MultiMap query, String authorization, String contentType,
      JsonObject body, long atNanos) {
  }

  private final Vertx vertx;
  private final String token;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Queue<Consumer<HttpServerResponse>> script = new ConcurrentLinkedQueue<>();
  private final List<JsonObject> subscriptions = new CopyOnWriteArrayList<>();
  private final AtomicInteger seq = new AtomicInteger();
  private HttpServer server;

  MaxLikeServer(Vertx vertx, String token) {
    this.vertx = vertx;
    this.token = token;
  }

  Future<Void> start() {
    return vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> handle(request, body)))
        .listen(0, "127.0.0.1")
        .map(s -> {
          server = s;
          return null;
        });
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The next request gets this answer instead of MAX's usual one. */
  MaxLikeServer then(int status, JsonObject body) {
    script.add(response -> json(response, status, body));
    return this;
  }

  /** The next request gets a 429 that, as MAX's do, names no wait, unless {@code retryAfter} is given. */
  MaxLikeServer thenTooManyRequests(String retryAfter) {
    script.add(response -> {
      if (retryAfter != null) {
        response.putHeader("Retry-After", retryAfter);
      }
      json(response, 429, error("too.many.requests", "Too many requests. Limit is: 30 calls per second."));
    });
    return this;
  }

  /** The next request gets a proxy's HTML error page, not an answer from MAX. */
  MaxLikeServer thenProxyPage(int status) {
    script.add(response -> response.setStatusCode(status).putHeader("Content-Type", "text/html")
        .end("<html><body><h1>" + status + " Bad Gateway</h1></body></html>"));
    return this;
  }

  /** The next request is read and never answered. */
  MaxLikeServer thenHang() {
    script.add(response -> {
    });
    return this;
  }

  private void handle(HttpServerRequest request, Buffer raw) {
    JsonObject body = null;
    if (raw.length() > 0) {
      try {
        body = new JsonObject(raw);
      } catch (DecodeException | ClassCastException e) {
        body = new JsonObject().put("unparsed", raw.toString());
      }
    }
    received.add(new Received(request.method().name(), request.path(), request.uri(),
        MultiMap.caseInsensitiveMultiMap().addAll(request.params()), request.getHeader("Authorization"),
        request.getHeader("Content-Type"), body, System.nanoTime()));
    Consumer<HttpServerResponse> scripted = script.poll();
    if (scripted != null) {
      scripted.accept(request.response());
    } else {
      answer(request, body == null ? new JsonObject() : body);
    }
  }

  private void answer(HttpServerRequest request, JsonObject body) {
    HttpServerResponse response = request.response();
    if (!token.equals(request.getHeader("Authorization"))) {
      json(response, 401, error("verify.token", "Invalid access_token"));
      return;
    }
    String route = request.method().name() + " " + request.path();
    switch (route) {
      case "GET /me" -> json(response, 200, new JsonObject().put("user_id", 7).put("first_name", "Splitbot")
          .put("name", "Splitbot").put("username", "splitbot_test_bot").put("is_bot", true));
      case "POST /messages" -> newMessage(request, body, response);
      case "PUT /messages" -> action(response, request.getParam("message_id") != null, "message_id is required");
      case "POST /answers" -> action(response, request.getParam("callback_id") != null, "callback_id is required");
      case "POST /subscriptions" -> {
        subscriptions.add(new JsonObject().put("url", body.getString("url")).put("time", System.currentTimeMillis())
            .put("update_types", body.getJsonArray("update_types")));
        action(response, true, null);
      }
      case "GET /subscriptions" -> json(response, 200, new JsonObject().put("subscriptions", new JsonArray(subscriptions)));
      case "DELETE /subscriptions" -> {
        String url = request.getParam("url");
        subscriptions.removeIf(s -> s.getString("url").equals(url));
        action(response, url != null, "url is required");
      }
      case "GET /updates" -> json(response, 200, new JsonObject()
          .put("updates", new JsonArray().add(new JsonObject().put("update_type", "bot_started")
              .put("timestamp", 1_758_960_000_000L).put("chat_id", 5).put("user", new JsonObject().put("user_id", 5))))
          .put("marker", 42));
      default -> {
        if (request.method().name().equals("GET") && request.path().matches("/chats/-?\\d+/members")) {
          json(response, 200, new JsonObject().put("members", new JsonArray()).putNull("marker"));
        } else {
          json(response, 404, error("not.found", "Path " + request.path() + " is not found"));
        }
      }
    }
  }

  private void newMessage(HttpServerRequest request, JsonObject body, HttpServerResponse response) {
    String chatId = request.getParam("chat_id");
    String userId = request.getParam("user_id");
    String text = body.getString("text");
    if ((chatId == null) == (userId == null)) {
      json(response, 400, error("proto.payload", "Exactly one of chat_id and user_id is required"));
    } else if (text != null && text.length() > 4000) {
      json(response, 400, error("text.too.long", "Text is longer than 4000 characters"));
    } else {
      int n = seq.incrementAndGet();
      JsonObject recipient = chatId != null
          ? new JsonObject().put("chat_id", Long.parseLong(chatId)).put("chat_type", "chat")
          : new JsonObject().put("user_id", Long.parseLong(userId)).put("chat_type", "dialog");
      json(response, 200, new JsonObject().put("message", new JsonObject()
          .put("recipient", recipient)
          .put("timestamp", System.currentTimeMillis())
          .put("body", new JsonObject().put("mid", "mid." + n).put("seq", n).put("text", text)
              .put("attachments", body.getJsonArray("attachments")))));
    }
  }

  private static void action(HttpServerResponse response, boolean valid, String problem) {
    if (valid) {
      json(response, 200, new JsonObject().put("success", true));
    } else {
      json(response, 400, error("proto.payload", problem));
    }
  }

  static JsonObject error(String code, String message) {
    return new JsonObject().put("code", code).put("message", message);
  }

  private static void json(HttpServerResponse response, int status, JsonObject body) {
    response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }
}
