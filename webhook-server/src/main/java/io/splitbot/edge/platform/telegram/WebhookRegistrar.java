package io.splitbot.edge.platform.telegram;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.telegram.BotApiClient;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Points Telegram at this edge with setWebhook when WEBHOOK_PUBLIC_URL is set; retries until Telegram accepts. */
public final class WebhookRegistrar {
  public static final String PATH = "/webhook/telegram";
  private static final Logger log = LoggerFactory.getLogger(WebhookRegistrar.class);

  private final Vertx vertx;
  private final BotApiClient api;
  private final SplitbotConfig config;
  private final Backoff backoff = new Backoff(1000, 60_000);

  public WebhookRegistrar(Vertx vertx, BotApiClient api, SplitbotConfig config) {
    this.vertx = vertx;
    this.api = api;
    this.config = config;
  }

  /** The URL Telegram posts to: WEBHOOK_PUBLIC_URL with the webhook path appended unless it already ends with it. */
  public static String webhookUrl(String publicUrl) {
    return publicUrl.endsWith(PATH) ? publicUrl : publicUrl + PATH;
  }

  public void register() {
    attempt(0);
  }

  private void attempt(int n) {
    String url = webhookUrl(config.webhook().publicUrl());
    api.setWebhook(url, config.webhook().secret(), config.telegram().allowedUpdates(), config.webhook().maxConnections())
        .onSuccess(v -> log.info("setWebhook done: Telegram now posts updates to {}", url))
        .onFailure(e -> {
          long delay = backoff.delayMs(n);
          log.error("setWebhook to {} failed: {}; retrying in {} s", url, e.getMessage(), delay / 1000);
          vertx.setTimer(delay, id -> attempt(n + 1));
        });
  }
}
