package io.splitbot.edge.forward;

import io.splitbot.edge.EdgeStats;
import io.splitbot.edge.routing.LegacyWebhookClient;
import io.splitbot.edge.spool.Spool;
import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.log.LogContext;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers spooled updates to the worker over the event bus. Each chat has a queue ordered by update_id and at most
 * one update in flight, so per-chat order holds across retries; different chats go concurrently up to a bound.
 * An update leaves the spool only when the worker replies with a final {@link HandleReply}; until then it is retried
 * with backoff and jitter, without a time limit. An update the router sent to the legacy bot goes over HTTP instead
 * ({@link LegacyWebhookClient}), under the same rules: per-chat order, retries without a time limit, and removal
 * from the spool only on a 2xx. Runs on the edge verticle's event loop only.
 */
public final class UpdateForwarder {
  private static final Logger log = LoggerFactory.getLogger(UpdateForwarder.class);

  private final Vertx vertx;
  private final Spool spool;
  private final EdgeStats stats;
  private final DeliveryOptions delivery;
  private final int maxInFlight;
  private final Backoff backoff = new Backoff(100, 10_000);
  private final LegacyWebhookClient legacy;
  private boolean warnedNoLegacy;

  private final Map<String, PriorityQueue<UpdateEnvelope>> queues = new HashMap<>();
  private final Set<Long> queued = new java.util.HashSet<>();
  private final Set<String> busyChats = new java.util.HashSet<>();
  private final LinkedHashSet<String> readyChats = new LinkedHashSet<>();
  private final ArrayDeque<Promise<Void>> idleWaiters = new ArrayDeque<>();
  private int inFlight;
  private boolean paused;

  public UpdateForwarder(Vertx vertx, Spool spool, EdgeStats stats, long requestTimeoutMs, int maxInFlight) {
    this(vertx, spool, stats, requestTimeoutMs, maxInFlight, null);
  }

  /** @param legacy the legacy bot's webhook, or null when no legacy bot is configured. */
  public UpdateForwarder(Vertx vertx, Spool spool, EdgeStats stats, long requestTimeoutMs, int maxInFlight,
      LegacyWebhookClient legacy) {
    this.vertx = vertx;
    this.legacy = legacy;
    this.spool = spool;
    this.stats = stats;
    this.delivery = new DeliveryOptions().setSendTimeout(requestTimeoutMs);
    this.maxInFlight = maxInFlight;
  }

  /**
   * Queues an update that is already durable in the spool. One it already holds is ignored: an append that timed
   * out may still have been stored, and Telegram's redelivery of it must then reach the worker all the same.
   */
  public void submit(UpdateEnvelope update) {
    if (!queued.add(update.updateId())) {
      return;
    }
    PriorityQueue<UpdateEnvelope> queue = queues.computeIfAbsent(update.chatKey(),
        k -> new PriorityQueue<>((a, b) -> Long.compare(a.updateId(), b.updateId())));
    queue.add(update);
    if (!busyChats.contains(update.chatKey())) {
      readyChats.add(update.chatKey());
    }
    pump();
  }

  /** Updates not yet confirmed by the worker, including those in flight. */
  public int pending() {
    return queued.size();
  }

  /** Stops starting new deliveries (shutdown) and completes when none is in flight, or after the grace period. */
  public Future<Void> drain(long graceMs) {
    paused = true;
    if (inFlight == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    idleWaiters.add(idle);
    return idle.future().timeout(graceMs, java.util.concurrent.TimeUnit.MILLISECONDS).recover(e -> {
      log.warn("shutdown: {} deliveries still in flight after the grace period; the spool keeps them", inFlight);
      return Future.succeededFuture();
    });
  }

  private void pump() {
    while (!paused && inFlight < maxInFlight && !readyChats.isEmpty()) {
      String chat = readyChats.iterator().next();
      readyChats.remove(chat);
      PriorityQueue<UpdateEnvelope> queue = queues.get(chat);
      if (queue == null || queue.isEmpty()) {
        continue;
      }
      busyChats.add(chat);
      inFlight++;
      deliver(queue.peek(), 0);
    }
  }

  private void deliver(UpdateEnvelope update, int attempt) {
    // Lines about this delivery (and its retry timer) carry the update's log fields.
    LogContext.with(LogContext.update(update.updateId(), update.chatKey()), () -> {
      send(update, attempt);
      return Future.succeededFuture();
    });
  }

  private void send(UpdateEnvelope update, int attempt) {
    Future<String> outcome;
    if (update.forLegacy() && legacy != null) {
      stats.legacyForwarded.incrementAndGet();
      outcome = legacy.deliver(update).map(v -> {
        stats.legacyDelivered.incrementAndGet();
        return "delivered to the legacy bot";
      });
    } else {
      if (update.forLegacy() && !warnedNoLegacy) {
        // Spooled for legacy by an earlier run, and LEGACY_WEBHOOK_URL is gone now: the operator moved on.
        warnedNoLegacy = true;
        log.warn("update {} was routed to the legacy bot, but LEGACY_WEBHOOK_URL is no longer set; "
            + "sending it and any like it to the new worker", update.updateId());
      }
      stats.forwarded.incrementAndGet();
      outcome = vertx.eventBus().<JsonObject>request(Addresses.WORKER_UPDATES, update.toJson(), delivery)
          .map(reply -> HandleReply.fromJson(reply.body()).name().toLowerCase() + " by the worker");
    }
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        confirmed(update, ar.result());
      } else {
        retry(update, attempt, ar.cause());
      }
    });
  }

  private void confirmed(UpdateEnvelope update, String outcome) {
    log.debug("update {} {}", update.updateId(), outcome);
    spool.remove(update.updateId()).onFailure(e ->
        log.warn("update {} handled but not yet removed from the spool ({}); the spool tries again, and should it restart first it resends the update and the worker skips it",
            update.updateId(), e.toString()));
    String chat = update.chatKey();
    PriorityQueue<UpdateEnvelope> queue = queues.get(chat);
    queue.remove(update);
    queued.remove(update.updateId());
    busyChats.remove(chat);
    if (queue.isEmpty()) {
      queues.remove(chat);
    } else {
      readyChats.add(chat);
    }
    slotFreed();
    pump();
  }

  private void retry(UpdateEnvelope update, int attempt, Throwable cause) {
    boolean toLegacy = update.forLegacy() && legacy != null;
    (toLegacy ? stats.legacyRetried : stats.retried).incrementAndGet();
    long delay = backoff.delayMs(attempt);
    if (attempt == 0 || attempt % 10 == 0) {
      log.warn("update {} not confirmed by the {} (attempt {}): {}; retrying in {} ms",
          update.updateId(), toLegacy ? "legacy bot" : "worker", attempt + 1, cause.getMessage(), delay);
    }
    vertx.setTimer(delay, id -> {
      if (paused) {
        // Shutting down: leave it in the spool for the next start.
        slotFreed();
        return;
      }
      deliver(update, attempt + 1);
    });
  }

  /** A delivery ended; a drain waiting for the last one completes. */
  private void slotFreed() {
    inFlight--;
    if (inFlight == 0 && paused) {
      idleWaiters.forEach(Promise::tryComplete);
      idleWaiters.clear();
    }
  }
}
