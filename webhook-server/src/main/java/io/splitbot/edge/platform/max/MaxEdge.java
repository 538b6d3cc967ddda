package io.splitbot.edge.platform.max;

import io.splitbot.edge.platform.EdgePlatform;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.platform.max.MaxApiClient;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MAX at the edge (docs/MAX.md): {@code POST /webhook/max} checked against {@code X-Max-Bot-Api-Secret}, keyed by the
 * update's own ids ({@link MaxUpdates#dedupKey}), ordered by its timestamp, and registered with
 * {@code POST /subscriptions} when MAX_WEBHOOK_PUBLIC_URL is set.
 */
public final class MaxEdge implements EdgePlatform {
  public static final String NAME = "max";
  private static final Logger log = LoggerFactory.getLogger(MaxEdge.class);

  private final Vertx vertx;
  private final SplitbotConfig.Max config;
  private final Backoff backoff = new Backoff(1000, 60_000);
  private MaxApiClient api;
  private boolean closed;

  public MaxEdge(Vertx vertx, SplitbotConfig.Max config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** A MAX update's envelope; also what polling builds, so both paths key an update the same way. */
  public static UpdateEnvelope envelopeOf(Buffer raw, JsonObject update) {
    return UpdateEnvelope.ofBytes(NAME, MaxUpdates.dedupKey(update), MaxUpdates.chatKey(update),
        MaxUpdates.timestamp(update), raw, UpdateEnvelope.ROUTE_WORKER);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String secretHeader() {
    return "X-Max-Bot-Api-Secret";
  }

  @Override
  public String secret() {
    return config.webhookSecret();
  }

  @Override
  public UpdateEnvelope envelope(Buffer raw) {
    return envelopeOf(raw, new JsonObject(raw));
  }

  /** The URL MAX posts to: MAX_WEBHOOK_PUBLIC_URL with the webhook path appended unless it already ends with it. */
  public String webhookUrl() {
    String base = config.webhookPublicUrl();
    return base.endsWith(path()) ? base : base.replaceAll("/+$", "") + path();
  }

  @Override
  public void register() {
    if (config.webhookPublicUrl() == null) {
      return;
    }
    if (config.polling()) {
      // The worker polls (MAX_MODE=polling, or WEBHOOK_ENABLED=false) and removes subscriptions: none is made here.
      log.info("MAX is polled: MAX_WEBHOOK_PUBLIC_URL is not subscribed");
      return;
    }
    if (!config.enabled()) {
      log.warn("MAX_WEBHOOK_PUBLIC_URL is set but MAX_BOT_TOKEN is not: set MAX_BOT_TOKEN so the edge can subscribe");
      return;
    }
    api = new MaxApiClient(vertx, config);
    subscribe(0);
  }

  private void subscribe(int attempt) {
    String url = webhookUrl();
    api.subscribe(url, MaxUpdates.UPDATE_TYPES, config.webhookSecret())
        .onSuccess(v -> log.info("MAX subscription done: MAX now posts updates to {}", url))
        .onFailure(e -> {
          if (closed) {
            return;
          }
          long delay = backoff.delayMs(attempt);
          log.error("MAX subscription to {} failed: {}; retrying in {} s", url, e.getMessage(), delay / 1000);
          vertx.setTimer(delay, id -> subscribe(attempt + 1));
        });
  }

  @Override
  public Future<Void> close() {
    closed = true;
    if (api != null) {
      api.close();
    }
    return Future.succeededFuture();
  }
}
