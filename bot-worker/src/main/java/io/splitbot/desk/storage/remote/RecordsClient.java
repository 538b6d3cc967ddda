package io.splitbot.desk.storage.remote;

import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * One call to the request service's records endpoint, and every answer checked. Connection failures, timeouts,
 * 5xx, 429 and answers that are no JSON object are outages ({@link StorageUnavailableException}: retry later, dual
 * storage falls back and repairs); a refused token or a refused call is a {@link StorageException} that says what to
 * fix; 409 comes back as the conflict or duplicate it was. No message carries the token, the URL or the host.
 */
final class RecordsClient {
  private final WebClient http;
  private final StorageConfig.Remote config;

  RecordsClient(Vertx vertx, StorageConfig.Remote config) {
    this.config = config;
    this.http = WebClient.create(vertx, new WebClientOptions().setUserAgent("splitbot-worker")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeoutMs())).setKeepAlive(true));
  }

  void close() {
    http.close();
  }

  /** POSTs {@code body} and answers the JSON object the service returned with 200. */
  Future<JsonObject> call(JsonObject body) {
    String op = body.getString("op");
    return http.postAbs(config.url() + RemoteBackend.RECORDS_PATH)
        .putHeader("Authorization", "Bearer " + config.token())
        .timeout(config.timeoutMs())
        .sendJsonObject(body)
        .transform(ar -> ar.succeeded() ? answer(op, ar.result())
            : Future.failedFuture(new StorageUnavailableException("the request service did not answer " + op + " ("
                + reason(ar.cause()) + ")")));
  }

  /** What went wrong on the wire, without the address (Netty's messages name host and port). */
  private String reason(Throwable e) {
    if (e instanceof java.util.concurrent.TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
      return "no answer within " + config.timeoutMs() + " ms";
    }
    if (e instanceof java.net.ConnectException || e.getClass().getSimpleName().contains("Connect")) {
      return "connection refused";
    }
    return e.getClass().getSimpleName();
  }

  static Future<JsonObject> answer(String op, HttpResponse<Buffer> r) {
    int status = r.statusCode();
    JsonObject json = json(r.body());
    String message = json == null ? "" : ": " + clip(json.getValue("message"));
    if (status == 200 && json != null && json.getBoolean("success", false)) {
      return Future.succeededFuture(json);
    }
    if (status >= 500 || status == 429 || (status == 200 && json == null)) {
      return Future.failedFuture(new StorageUnavailableException("the request service answered " + op + " with "
          + (json == null ? "HTTP " + status + " and no JSON object" : "HTTP " + status + message) + "; retry later"));
    }
    if (status == 401 || status == 403) {
      return Future.failedFuture(new StorageException("the request service refused the token (HTTP " + status
          + "): REMOTE_STORAGE_TOKEN (REQUEST_SERVICE_TOKEN, MONOLITH_API_TOKEN) must be its INTERNAL_API_TOKEN"));
    }
    if (status == 404) {
      return Future.failedFuture(new StorageException("the request service has no " + RemoteBackend.RECORDS_PATH
          + " (HTTP 404): REMOTE_STORAGE_URL must be a splitbot worker with this version's internal API"));
    }
    if (status == 409 && json != null && "duplicate".equals(json.getString("reason"))) {
      return Future.failedFuture(new DuplicateKeyException(String.valueOf(json.getValue("kind")),
          String.valueOf(json.getValue("key"))));
    }
    if (status == 409 && json != null && "conflict".equals(json.getString("reason"))) {
      return Future.failedFuture(new ConflictException("the request service: " + clip(json.getValue("message"))));
    }
    return Future.failedFuture(new StorageException("the request service refused " + op + " (HTTP " + status
        + message + ")"));
  }

  private static JsonObject json(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return io.vertx.core.json.Json.decodeValue(body) instanceof JsonObject o ? o : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /** A message from the other side, shortened: it goes to our log. */
  private static String clip(Object message) {
    String s = String.valueOf(message).replaceAll("\\p{Cntrl}", " ");
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
