package io.splitbot.worker.polling;

import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.shared.telegram.BotApiException;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development mode: fetches updates with getUpdates instead of a webhook and feeds them to the same pipeline.
 * The offset it confirms never passes the lowest update not yet handled (the contiguous low-watermark), so a
 * crash makes Telegram deliver again what was unfinished, and dedup absorbs what was finished.
 */
public final class LongPoller {
  private static final Logger log = LoggerFactory.getLogger(LongPoller.class);
  static final int TIMEOUT_SECONDS = 50;

  private final Vertx vertx;
  private final BotApiClient api;
  private final List<String> allowedUpdates;
  private final Function<UpdateEnvelope, Future<HandleReply>> pipeline;
  private final Backoff backoff = new Backoff(1000, 30_000);

  /** Updates fetched and submitted, by id; true once handled. Only ids at or above the watermark are kept. */
  private final TreeMap<Long, Boolean> window = new TreeMap<>();
  private long watermark;
  private long polledAtWatermark = -1;
  private boolean stopped;
  private boolean waitingForProgress;
  private int failures;

  public LongPoller(Vertx vertx, BotApiClient api, List<String> allowedUpdates, Function<UpdateEnvelope, Future<HandleReply>> pipeline) {
    this.vertx = vertx;
    this.api = api;
    this.allowedUpdates = allowedUpdates;
    this.pipeline = pipeline;
  }

  public Future<Void> start() {
    return api.deleteWebhook(false)
        .onSuccess(v -> {
          log.info("long polling started (webhook deleted)");
          poll();
        })
        .onFailure(e -> {
          log.error("deleteWebhook failed: {}; long polling retries in 5 s", e.getMessage());
          vertx.setTimer(5000, id -> start());
        })
        .recover(e -> Future.succeededFuture());
  }

  public void stop() {
    stopped = true;
  }

  /** The offset the next getUpdates confirms up to. */
  public long watermark() {
    return watermark;
  }

  private void poll() {
    if (stopped) {
      return;
    }
    // Nothing handled since the last poll at this offset: Telegram would only send the same updates again.
    if (!window.isEmpty() && polledAtWatermark == watermark) {
      waitingForProgress = true;
      return;
    }
    polledAtWatermark = watermark;
    api.getUpdates(watermark, TIMEOUT_SECONDS, allowedUpdates).onComplete(ar -> {
      if (ar.succeeded()) {
        failures = 0;
        accept(ar.result());
        poll();
      } else {
        polledAtWatermark = -1;
        failed(ar.cause());
      }
    });
  }

  private void accept(JsonArray updates) {
    for (int i = 0; i < updates.size(); i++) {
      JsonObject update = updates.getJsonObject(i);
      long id = update.getLong("update_id");
      if (id < watermark || window.containsKey(id)) {
        continue;
      }
      window.put(id, false);
      submit(UpdateEnvelope.telegram(update.encode(), update), 0);
    }
    if (window.isEmpty() && !updates.isEmpty()) {
      watermark = Math.max(watermark, updates.getJsonObject(updates.size() - 1).getLong("update_id") + 1);
    }
  }

  /** Until it is handled the watermark stays below it, so a restart gets it from Telegram again. */
  private void submit(UpdateEnvelope envelope, int attempt) {
    pipeline.apply(envelope).onComplete(ar -> {
      if (ar.succeeded()) {
        handled(envelope.updateId());
      } else if (!stopped) {
        log.warn("update {} not handled yet: {}", envelope.updateId(), ar.cause().getMessage());
        vertx.setTimer(backoff.delayMs(attempt), t -> submit(envelope, attempt + 1));
      }
    });
  }

  private void handled(long id) {
    window.put(id, true);
    while (!window.isEmpty() && window.firstEntry().getValue()) {
      watermark = window.pollFirstEntry().getKey() + 1;
    }
    if (waitingForProgress && polledAtWatermark != watermark) {
      waitingForProgress = false;
      poll();
    }
  }

  private void failed(Throwable cause) {
    long delay = backoff.delayMs(failures++);
    if (cause instanceof BotApiException api && api.errorCode() == 409) {
      log.error("getUpdates refused (409): {}. Another instance is polling, or a webhook is set; retrying in {} s",
          api.description(), delay / 1000);
    } else if (cause instanceof BotApiException api && api.errorCode() == 401) {
      log.error("getUpdates refused (401 Unauthorized): TELEGRAM_BOT_TOKEN is wrong; retrying in {} s", delay / 1000);
    } else {
      log.warn("getUpdates failed: {}; retrying in {} s", cause.getMessage(), delay / 1000);
    }
    vertx.setTimer(delay, id -> poll());
  }
}
