package io.splitbot.edge.routing;

import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * Hands an update to the legacy bot the way Telegram would: a POST of the original body to
 * {@code LEGACY_WEBHOOK_URL} with {@code X-Telegram-Bot-Api-Secret-Token: LEGACY_WEBHOOK_SECRET}. Only a 2xx answer
 * counts as delivered; anything else fails the future with the HTTP status (or none), and the forwarder decides
 * whether that was a refusal or an outage. The URL may hold a token, so it only ever appears masked.
 */
public final class LegacyWebhookClient {
  public static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
  private static final long PROBE_TIMEOUT_MS = 2_000;

  private final HttpClientAgent client;
  private final String url;
  private final String secret;
  private final long timeoutMs;
  private final String where;

  public LegacyWebhookClient(Vertx vertx, String url, String secret, long timeoutMs, int maxConnections) {
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setConnectTimeout((int) Math.min(timeoutMs, 5_000)),
        new PoolOptions().setHttp1MaxSize(maxConnections));
    this.url = url;
    this.secret = secret;
    this.timeoutMs = timeoutMs;
    this.where = Redactor.mask(url);
  }

  /** Succeeds once the legacy bot answered 2xx to the update's original body. */
  public Future<Void> deliver(UpdateEnvelope update) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url)
        .setIdleTimeout(timeoutMs)
        .putHeader("Content-Type", "application/json");
    if (secret != null) {
      options.putHeader(SECRET_HEADER, secret);
    }
    return client.request(options)
        .compose(request -> request.send(Buffer.buffer(update.raw())))
        .compose(response -> response.body().compose(body -> {
          int status = response.statusCode();
          if (status >= 200 && status < 300) {
            return Future.<Void>succeededFuture();
          }
          return Future.failedFuture(new LegacyDeliveryException("the legacy webhook " + where + " answered " + status, status));
        }))
        .recover(e -> Future.failedFuture(e instanceof LegacyDeliveryException
            ? e
            : new LegacyDeliveryException("the legacy webhook " + where + " did not answer: " + Redactor.mask(String.valueOf(e.getMessage())),
                LegacyDeliveryException.NO_ANSWER)));
  }

  /**
   * A cheap reachability check for /health/services: a GET of the webhook URL, without an update. Any HTTP answer
   * below 500 (a webhook usually answers GET with 404 or 405) means the legacy bot is up.
   */
  public Future<JsonObject> probe() {
    long started = System.nanoTime();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setIdleTimeout(PROBE_TIMEOUT_MS)
        .setTimeout(PROBE_TIMEOUT_MS);
    return client.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(b -> response.statusCode()))
        .map(status -> new JsonObject()
            .put("up", status < 500)
            .put("http_status", status)
            .put("latency_ms", (System.nanoTime() - started) / 1_000_000))
        .recover(e -> Future.succeededFuture(new JsonObject()
            .put("up", false)
            // a fixed text: the connection error names the legacy bot's host and port
            .put("reason", "unreachable: no HTTP answer within " + PROBE_TIMEOUT_MS + " ms")
            .put("latency_ms", (System.nanoTime() - started) / 1_000_000)));
  }

  public String where() {
    return where;
  }

  public Future<Void> close() {
    return client.close();
  }

  /** The legacy bot did not take the update; it stays in the spool and is sent again, or is dead-lettered. */
  public static final class LegacyDeliveryException extends RuntimeException {
    /** {@link #status()} when no HTTP answer came: not reachable, reset, or timed out. */
    public static final int NO_ANSWER = 0;
    private final int status;

    public LegacyDeliveryException(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }

    /** The HTTP status the legacy bot answered, or {@link #NO_ANSWER}. */
    public int status() {
      return status;
    }
  }
}
