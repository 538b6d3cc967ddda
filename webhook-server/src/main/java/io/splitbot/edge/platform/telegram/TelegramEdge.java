package io.splitbot.edge.platform.telegram;

import io.splitbot.edge.platform.EdgePlatform;
import io.splitbot.edge.platform.KeyFields;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Telegram at the edge: keyed by update_id, ordered by it, registered with setWebhook. */
public final class TelegramEdge implements EdgePlatform {
  public static final String NAME = UpdateEnvelope.TELEGRAM;
  private static final Logger log = LoggerFactory.getLogger(TelegramEdge.class);

  private final Vertx vertx;
  private final SplitbotConfig config;
  private BotApiClient api;

  public TelegramEdge(Vertx vertx, SplitbotConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** A Telegram update's envelope; also what polling builds, so both paths key an update the same way. */
  public static UpdateEnvelope envelopeOf(Buffer raw, JsonObject update) {
    long updateId = TelegramUpdates.updateId(update);
    return UpdateEnvelope.ofBytes(NAME, Long.toString(updateId), TelegramUpdates.chatKey(update), updateId, raw,
        UpdateEnvelope.ROUTE_WORKER);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String secretHeader() {
    return "X-Telegram-Bot-Api-Secret-Token";
  }

  @Override
  public String secret() {
    return config.webhook().secret();
  }

  @Override
  public UpdateEnvelope envelope(Buffer raw) {
    // Only the fields that key an update are read into objects: the worker parses the whole body, the edge need not.
    return envelopeOf(raw, KeyFields.parse(raw, TelegramUpdates.KEY_FIELDS, TelegramUpdates.KEY_DEPTH));
  }

  @Override
  public boolean routable() {
    return true;
  }

  @Override
  public void register() {
    if (config.webhook().publicUrl() == null) {
      return;
    }
    if (config.telegram().polling()) {
      // The worker polls (TELEGRAM_MODE=polling, or WEBHOOK_ENABLED=false) and deletes the webhook: none is set here.
      log.info("Telegram is polled: WEBHOOK_PUBLIC_URL is not registered with setWebhook");
      return;
    }
    if (!config.telegram().hasToken()) {
      log.warn("WEBHOOK_PUBLIC_URL is set but TELEGRAM_BOT_TOKEN is not: set TELEGRAM_BOT_TOKEN so the edge can call setWebhook");
      return;
    }
    api = new BotApiClient(vertx, config.telegram());
    new WebhookRegistrar(vertx, api, config).register();
  }

  @Override
  public Future<Void> close() {
    if (api != null) {
      api.close();
    }
    return Future.succeededFuture();
  }
}
