package io.splitbot.worker.platform.telegram;

import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.shared.telegram.BotApiException;
import io.splitbot.shared.update.MalformedUpdateException;
import io.splitbot.edge.platform.telegram.TelegramEdge;
import io.splitbot.edge.platform.telegram.TelegramUpdates;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development mode: fetches updates with getUpdates instead of a webhook and feeds them to the same pipeline.
 * The offset it confirms never passes the lowest update not yet handled (the contiguous low-watermark), so a
 * crash makes Telegram deliver again what was unfinished, and dedup absorbs what was finished.
 *
 * <p>A slow update holds only its own chat: polling goes on at the same offset, skipping what it already holds,
 * until {@value #WINDOW} updates wait above the watermark (a whole getUpdates page). Each chat has one update at a
 * time in the pipeline, so an update that fails for a store outage is retried before its chat's next one. An
 * answer the poller cannot read is logged and skipped, and the loop always schedules its next call.
 */
public final class LongPoller {
  private static final Logger log = LoggerFactory.getLogger(LongPoller.class);
  static final int TIMEOUT_SECONDS = 50;
  /** getUpdates returns at most 100 updates from the offset: more cannot be fetched past a stuck one. */
  static final int WINDOW = 100;
  /** When a poll brought nothing new (Telegram answers at once while updates wait above the offset). */
  private static final long IDLE_PAUSE_MS = 1_000;

  private final Vertx vertx;
  private final BotApiClient api;
  private final List<String> allowedUpdates;
  private final Function<UpdateEnvelope, Future<HandleReply>> pipeline;
  private final Backoff backoff = new Backoff(1000, 30_000);

  /** Updates fetched, by id; true once handled (or skipped as unreadable). Only ids at or above the watermark. */
  private final TreeMap<Long, Boolean> window = new TreeMap<>();
  /** Per chat, the updates fetched and not yet handled; the head is the one in the pipeline. */
  private final Map<String, ArrayDeque<UpdateEnvelope>> chats = new HashMap<>();
  private long watermark;
  private boolean stopped;
  private boolean waitingForProgress;
  private long pauseTimer = -1;
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
    if (window.size() >= WINDOW) {
      // A page of updates waits above a stuck one: the next poll would bring nothing new.
      waitingForProgress = true;
      return;
    }
    api.getUpdates(watermark, TIMEOUT_SECONDS, allowedUpdates).onComplete(ar -> {
      if (ar.failed()) {
        failed(ar.cause());
        return;
      }
      failures = 0;
      boolean fresh;
      try {
        fresh = accept(ar.result());
      } catch (RuntimeException e) {
        log.error("getUpdates answer could not be read, skipped: {}", e.toString());
        fresh = false;
      }
      // Only an answer of updates already held comes back at once; polling straight away would spin.
      if (fresh || ar.result().isEmpty()) {
        poll();
      } else {
        pauseThenPoll();
      }
    });
  }

  /** Takes the updates not seen before; true when there was at least one. */
  private boolean accept(JsonArray updates) {
    boolean fresh = false;
    long highest = -1;
    for (int i = 0; i < updates.size(); i++) {
      Object entry = updates.getValue(i);
      if (!(entry instanceof JsonObject update)) {
        log.warn("getUpdates returned an entry that is not an object; skipped");
        continue;
      }
      long id;
      try {
        id = TelegramUpdates.updateId(update);
      } catch (MalformedUpdateException e) {
        log.warn("getUpdates returned an unreadable update ({}); skipped", e.getMessage());
        continue;
      }
      highest = Math.max(highest, id);
      if (id < watermark || window.containsKey(id)) {
        continue;
      }
      fresh = true;
      UpdateEnvelope envelope;
      try {
        envelope = TelegramEdge.envelopeOf(update.toBuffer(), update);
      } catch (MalformedUpdateException e) {
        // It has an id, so the offset may pass it: it is done, unhandled, and said so.
        log.warn("update {} is malformed ({}); skipped", id, e.getMessage());
        window.put(id, true);
        continue;
      }
      window.put(id, false);
      queue(envelope);
    }
    if (window.isEmpty() && highest >= watermark) {
      watermark = highest + 1;
    } else {
      advance();
    }
    return fresh;
  }

  /** A chat's updates go to the pipeline one at a time, in update_id order. */
  private void queue(UpdateEnvelope envelope) {
    ArrayDeque<UpdateEnvelope> queue = chats.computeIfAbsent(envelope.chatKey(), k -> new ArrayDeque<>());
    queue.add(envelope);
    if (queue.size() == 1) {
      submit(envelope, 0);
    }
  }

  /** Until it is handled the watermark stays below it, so a restart gets it from Telegram again. */
  private void submit(UpdateEnvelope envelope, int attempt) {
    pipeline.apply(envelope).onComplete(ar -> {
      if (ar.succeeded()) {
        handled(envelope);
      } else if (!stopped) {
        log.warn("update {} not handled yet: {}", envelope.key(), ar.cause().getMessage());
        vertx.setTimer(backoff.delayMs(attempt), t -> submit(envelope, attempt + 1));
      }
    });
  }

  private void handled(UpdateEnvelope envelope) {
    window.put(envelope.order(), true);
    ArrayDeque<UpdateEnvelope> queue = chats.get(envelope.chatKey());
    queue.poll();
    if (queue.isEmpty()) {
      chats.remove(envelope.chatKey());
    } else {
      submit(queue.peek(), 0);
    }
    long before = watermark;
    advance();
    if (watermark != before && waitingForProgress) {
      waitingForProgress = false;
      vertx.cancelTimer(pauseTimer);
      poll();
    }
  }

  private void advance() {
    while (!window.isEmpty() && window.firstEntry().getValue()) {
      watermark = window.pollFirstEntry().getKey() + 1;
    }
  }

  /** Polls again after a short pause, or as soon as the watermark moves. */
  private void pauseThenPoll() {
    waitingForProgress = true;
    pauseTimer = vertx.setTimer(IDLE_PAUSE_MS, t -> {
      if (waitingForProgress) {
        waitingForProgress = false;
        poll();
      }
    });
  }

  private void failed(Throwable cause) {
    if (stopped) {
      return; // the long poll in flight at shutdown ends when the client closes: expected, not worth a warning
    }
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
