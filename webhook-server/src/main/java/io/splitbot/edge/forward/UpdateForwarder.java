package io.splitbot.edge.forward;

import io.splitbot.edge.EdgeStats;
import io.splitbot.edge.forward.RefusalCheck.Verdict;
import io.splitbot.edge.routing.LegacyWebhookClient;
import io.splitbot.edge.spool.Spool;
import io.splitbot.edge.spool.SpoolFeed;
import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.bus.BusMessages;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.deadletter.DeadLetter;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.shared.log.LogContext;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers spooled updates to the worker over the event bus. Each chat (its lane) has a queue in delivery order and at most
 * one update in flight, so per-chat order holds across retries; different chats go concurrently up to a bound.
 * An update leaves the spool when the worker replies with a final {@link HandleReply}. An update the router sent to
 * the legacy bot goes over HTTP instead ({@link LegacyWebhookClient}), under the same rules, and leaves on a 2xx.
 *
 * <p>Failed deliveries are retried with backoff and jitter. An outage (no worker, "retry later", the legacy bot
 * away) is retried as long as it lasts. A refusal ({@link RefusalCheck}) spends one of {@code FORWARD_MAX_ATTEMPTS};
 * when they are spent, the update moves to the edge's dead letters, so it stops holding its chat and its delivery
 * slot, and the chat's next update goes. The order is what keeps it from being lost: the letter is stored durably,
 * then the update leaves the spool, then the chat moves on. A letter that cannot be stored is tried again, holding
 * the chat, until it can.
 *
 * <p><b>Partitions.</b> The spool feeds it ({@link SpoolFeed}). A Redis spool feeds only the partitions this edge holds,
 * each update with its partition's fence, sent as event-bus headers ({@link SpoolFence}). When the spool revokes a
 * partition its queued updates are dropped at once (they stay in the spool for the next holder) and its updates in
 * flight are not retried; a worker's "not yours" answer ({@link HandleReply#NOT_YOURS}) drops the update the same way,
 * spending no attempt. Runs on the edge verticle's event loop only.
 */
public final class UpdateForwarder implements SpoolFeed {
  private static final Logger log = LoggerFactory.getLogger(UpdateForwarder.class);
  static final Backoff DEFAULT_BACKOFF = new Backoff(100, 10_000);
  /** A dead letter not stored within this is tried again (a put is idempotent: one letter per update). */
  static final long STORE_TIMEOUT_MS = 5_000;
  /** How often a replay checks whether some edge delivered (or dead-lettered) its update. */
  static final long REPLAY_CHECK_MS = 1_000;

  private final Vertx vertx;
  private final Spool spool;
  private final DeadLetterStore deadLetters;
  private final EdgeStats stats;
  private final DeliveryOptions delivery;
  private final int maxInFlight;
  private final int maxAttempts;
  private final Backoff backoff;
  private final LegacyWebhookClient legacy;
  private final RefusalCheck refusals;
  private boolean warnedNoLegacy;

  private final Map<String, PriorityQueue<UpdateEnvelope>> queues = new HashMap<>();
  private final Set<String> queued = new HashSet<>();
  private final Set<String> busyChats = new HashSet<>();
  private final LinkedHashSet<String> readyChats = new LinkedHashSet<>();
  private final ArrayDeque<Promise<Void>> idleWaiters = new ArrayDeque<>();
  /** Replays of dead letters waiting for their outcome: true once delivered, false when dead-lettered again. */
  private final Map<String, Promise<Boolean>> replays = new HashMap<>();
  /** The fence of each queued update from a partitioned spool, and the epoch of each partition held now. */
  private final Map<String, SpoolFence> fences = new HashMap<>();
  private final Map<Integer, Long> heldEpochs = new HashMap<>();
  /** Updates in flight, and how many per partition, for a partition handed on once idle. */
  private final Set<String> sending = new HashSet<>();
  private final Map<Integer, Integer> sendingPerPartition = new HashMap<>();
  private final Map<Integer, List<Promise<Void>>> partitionIdle = new HashMap<>();
  private int inFlight;
  private boolean paused;

  /**
   * @param deadLetters the edge's own dead letters
   * @param legacy the legacy bot's webhook, or null when no legacy bot is configured
   */
  public UpdateForwarder(Vertx vertx, Spool spool, DeadLetterStore deadLetters, EdgeStats stats,
      SplitbotConfig.Delivery settings, LegacyWebhookClient legacy) {
    this(vertx, spool, deadLetters, stats, settings, legacy, DEFAULT_BACKOFF);
  }

  UpdateForwarder(Vertx vertx, Spool spool, DeadLetterStore deadLetters, EdgeStats stats,
      SplitbotConfig.Delivery settings, LegacyWebhookClient legacy, Backoff backoff) {
    this.vertx = vertx;
    this.spool = spool;
    this.deadLetters = deadLetters;
    this.stats = stats;
    BusMessages.register(vertx);
    this.delivery = new DeliveryOptions().setSendTimeout(settings.forwardTimeoutMs());
    this.maxInFlight = settings.forwardConcurrency();
    this.maxAttempts = settings.forwardMaxAttempts();
    this.backoff = backoff;
    this.legacy = legacy;
    this.refusals = new RefusalCheck(vertx, legacy, settings.forwardTimeoutMs());
  }

  /** Where one update's delivery stands: every failure grows the backoff, only a refusal spends the budget. */
  private static final class Attempts {
    int tries;
    int refused;
  }

  /**
   * Queues an update that is already durable in the spool. One it already holds is ignored (an append that timed
   * out may still have been stored, and Telegram's redelivery of it must then reach the worker all the same), except
   * that it takes the newer fence: its partition was lost and taken again while it was in flight.
   */
  @Override
  public void submit(UpdateEnvelope update, SpoolFence fence) {
    if (fence != null) {
      Long held = heldEpochs.get(fence.partition());
      if (held != null && held > fence.epoch()) {
        return;
      }
      heldEpochs.put(fence.partition(), fence.epoch());
      SpoolFence had = fences.get(update.key());
      if (had == null || had.epoch() < fence.epoch()) {
        fences.put(update.key(), fence);
      }
    }
    if (!queued.add(update.key())) {
      return;
    }
    PriorityQueue<UpdateEnvelope> queue = queues.computeIfAbsent(update.lane(), k -> new PriorityQueue<>(UpdateEnvelope.ORDER));
    queue.add(update);
    if (!busyChats.contains(update.lane())) {
      readyChats.add(update.lane());
    }
    pump();
  }

  /**
   * Replays one of the edge's dead letters: spools the update again and delivers it with a fresh budget. True once
   * the worker (or the legacy bot) took it; false when it was refused again and is back in the dead letters with the
   * new error. While an outage lasts it waits, in the spool.
   */
  public Future<Boolean> replay(UpdateEnvelope update) {
    return spool.append(update).compose(appended -> {
      Promise<Boolean> outcome = replays.computeIfAbsent(update.key(), id -> Promise.promise());
      watchReplay(update, outcome);
      return outcome.future();
    });
  }

  /**
   * The spool feeds the update to whichever edge holds its partition: when that is another edge, its outcome is read
   * from the spool and the dead letters. Gone from the spool with the letter still asking for a replay (or removed
   * by that edge's replay): delivered. Gone with the letter stored again, no longer asking: refused again.
   */
  private void watchReplay(UpdateEnvelope update, Promise<Boolean> outcome) {
    vertx.setTimer(REPLAY_CHECK_MS, t -> {
      if (outcome.future().isComplete()) {
        return;
      }
      spool.holds(update)
          .compose(held -> held ? Future.succeededFuture((Boolean) null)
              : deadLetters.get(update.key()).map(letter -> letter == null || letter.replayRequested()))
          .onComplete(ar -> {
            if (ar.succeeded() && ar.result() != null && !queued.contains(update.key())) {
              replays.remove(update.key(), outcome);
              outcome.tryComplete(ar.result());
            } else {
              watchReplay(update, outcome);
            }
          });
    });
  }

  /** Drops the partition's queued updates that are not in flight; those in flight are not retried. */
  @Override
  public void revoke(int partition) {
    heldEpochs.remove(partition);
    for (String lane : new ArrayList<>(queues.keySet())) {
      PriorityQueue<UpdateEnvelope> queue = queues.get(lane);
      queue.removeIf(update -> {
        SpoolFence fence = fences.get(update.key());
        if (fence == null || fence.partition() != partition || sending.contains(update.key())) {
          return false;
        }
        queued.remove(update.key());
        fences.remove(update.key());
        return true;
      });
      if (queue.isEmpty()) {
        queues.remove(lane);
        readyChats.remove(lane);
      }
    }
  }

  @Override
  public Future<Void> idle(int partition) {
    if (sendingPerPartition.getOrDefault(partition, 0) == 0) {
      return Future.succeededFuture();
    }
    Promise<Void> idle = Promise.promise();
    partitionIdle.computeIfAbsent(partition, p -> new ArrayList<>()).add(idle);
    return idle.future();
  }

  /** Whether the update may still be sent: no fence, or its partition still held under that fence's epoch. */
  private boolean ours(UpdateEnvelope update) {
    SpoolFence fence = fences.get(update.key());
    return fence == null || Objects.equals(heldEpochs.get(fence.partition()), fence.epoch());
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
    return idle.future().timeout(graceMs, TimeUnit.MILLISECONDS).recover(e -> {
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
      UpdateEnvelope next = queue.peek();
      busyChats.add(chat);
      inFlight++;
      sending.add(next.key());
      SpoolFence fence = fences.get(next.key());
      if (fence != null) {
        sendingPerPartition.merge(fence.partition(), 1, Integer::sum);
      }
      deliver(next, new Attempts());
    }
  }

  private void deliver(UpdateEnvelope update, Attempts attempts) {
    // Lines about this delivery (and its retry timer) carry the update's log fields.
    LogContext.with(LogContext.update(update.key(), update.lane()), () -> {
      send(update, attempts);
      return Future.succeededFuture();
    });
  }

  private void send(UpdateEnvelope update, Attempts attempts) {
    boolean toLegacy = toLegacy(update);
    Future<String> outcome;
    if (toLegacy) {
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
            + "sending it and any like it to the new worker", update.key());
      }
      stats.forwarded.incrementAndGet();
      SpoolFence fence = fences.get(update.key());
      DeliveryOptions options = fence == null ? delivery : fence.addTo(new DeliveryOptions(delivery));
      outcome = vertx.eventBus().request(Addresses.WORKER_UPDATES, BusMessages.update(vertx, update), options)
          .map(reply -> BusMessages.reply(reply.body()).outcome());
    }
    outcome.onComplete(ar -> {
      if (ar.succeeded()) {
        confirmed(update, ar.result());
      } else if (notYours(ar.cause())) {
        SpoolFence fence = fences.get(update.key());
        log.info("update {}: the worker says another edge holds its spool partition now; leaving it to that edge", update.key());
        if (fence != null) {
          spool.fenced(fence);
        }
        dropped(update);
      } else {
        (toLegacy ? refusals.ofLegacy(ar.cause()) : refusals.ofWorker(ar.cause()))
            .otherwise(e -> new Verdict(false, "could not tell a refusal from an outage: " + e))
            .onSuccess(verdict -> failed(update, attempts, verdict));
      }
    });
  }

  private static boolean notYours(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() == HandleReply.NOT_YOURS;
  }

  private boolean toLegacy(UpdateEnvelope update) {
    return update.forLegacy() && legacy != null;
  }

  private void confirmed(UpdateEnvelope update, String outcome) {
    log.debug("update {} {}", update.key(), outcome);
    spool.remove(update).onFailure(e ->
        log.warn("update {} handled but not yet removed from the spool ({}); the spool tries again, and should it restart first it resends the update and the worker skips it",
            update.key(), e.toString()));
    finished(update, true);
  }

  private void failed(UpdateEnvelope update, Attempts attempts, Verdict verdict) {
    if (!ours(update)) {
      dropped(update);
      return;
    }
    boolean toLegacy = toLegacy(update);
    String target = toLegacy ? "legacy bot" : "worker";
    if (verdict.refused() && ++attempts.refused >= maxAttempts) {
      deadLetter(update, attempts, verdict.reason(), 0);
      return;
    }
    (toLegacy ? stats.legacyRetried : stats.retried).incrementAndGet();
    long delay = backoff.delayMs(attempts.tries);
    if (verdict.refused()) {
      log.warn("update {} refused by the {} ({} of {} attempts): {}; retrying in {} ms",
          update.key(), target, attempts.refused, maxAttempts, verdict.reason(), delay);
    } else if (attempts.tries == 0 || attempts.tries % 10 == 0) {
      log.warn("update {} not delivered to the {} (try {}, an outage: not counted against its attempts): {}; retrying in {} ms",
          update.key(), target, attempts.tries + 1, verdict.reason(), delay);
    }
    attempts.tries++;
    vertx.setTimer(delay, id -> {
      if (paused) {
        // Shutting down: leave it in the spool for the next start.
        slotFreed(update);
        return;
      }
      if (!ours(update)) {
        dropped(update);
        return;
      }
      deliver(update, attempts);
    });
  }

  /** Stored first, then out of the spool, then the chat moves on; a store that fails is tried again. */
  private void deadLetter(UpdateEnvelope update, Attempts attempts, String reason, int storeTries) {
    DeadLetter letter = new DeadLetter(update, reason, attempts.refused, System.currentTimeMillis(), false);
    deadLetters.put(letter).timeout(STORE_TIMEOUT_MS, TimeUnit.MILLISECONDS).onComplete(stored -> {
      if (stored.failed()) {
        long delay = backoff.delayMs(storeTries);
        log.warn("update {} could not be stored as a dead letter ({}); it stays in the spool and holds its chat, "
            + "trying again in {} ms", update.key(), stored.cause().toString(), delay);
        vertx.setTimer(delay, id -> {
          if (paused) {
            slotFreed(update);
            return;
          }
          deadLetter(update, attempts, reason, storeTries + 1);
        });
        return;
      }
      stats.deadLettered.incrementAndGet();
      log.error("update {} (chat {}) refused {} times, moved to the edge's dead letters: {}",
          update.key(), update.chatKey(), attempts.refused, reason);
      spool.remove(update)
          .onFailure(e -> log.warn("update {} dead-lettered but not removed from the spool ({}); a restart will send it again",
              update.key(), e.toString()))
          .onComplete(removed -> finished(update, false));
    });
  }

  /** The update is done here (delivered, or a dead letter): its chat's next update may go. */
  private void finished(UpdateEnvelope update, boolean delivered) {
    leaveQueue(update);
    Promise<Boolean> replay = replays.remove(update.key());
    if (replay != null) {
      replay.tryComplete(delivered);
    }
    slotFreed(update);
    pump();
  }

  /** Another edge holds the update's partition now: it leaves this edge's queue, not the spool. */
  private void dropped(UpdateEnvelope update) {
    leaveQueue(update);
    slotFreed(update);
    pump();
  }

  private void leaveQueue(UpdateEnvelope update) {
    String chat = update.lane();
    PriorityQueue<UpdateEnvelope> queue = queues.get(chat);
    queue.remove(update);
    queued.remove(update.key());
    busyChats.remove(chat);
    if (queue.isEmpty()) {
      queues.remove(chat);
    } else {
      readyChats.add(chat);
    }
  }

  /** A delivery ended; a drain, or a partition's hand-over, waiting for the last one completes. */
  private void slotFreed(UpdateEnvelope update) {
    sending.remove(update.key());
    SpoolFence fence = fences.remove(update.key());
    if (fence != null && sendingPerPartition.merge(fence.partition(), -1, Integer::sum) <= 0) {
      sendingPerPartition.remove(fence.partition());
      List<Promise<Void>> waiting = partitionIdle.remove(fence.partition());
      if (waiting != null) {
        waiting.forEach(Promise::tryComplete);
      }
    }
    inFlight--;
    if (inFlight == 0 && paused) {
      idleWaiters.forEach(Promise::tryComplete);
      idleWaiters.clear();
    }
  }
}
