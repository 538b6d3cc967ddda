package io.splitbot.worker.pipeline;

import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.deadletter.DeadLetter;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.shared.log.LogContext;
import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.retry.NoRetry;
import io.splitbot.shared.retry.RetryLater;
import io.splitbot.shared.store.StoreUnavailableException;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.worker.dedup.Deduplicator;
import io.splitbot.worker.effects.EffectLedger;
import io.splitbot.worker.effects.LedgeredCalls;
import io.splitbot.worker.effects.UnsentEffects;
import io.splitbot.worker.platform.WorkerPlatforms;
import io.splitbot.worker.platform.WorkerPlatforms.WorkerPlatform;
import io.splitbot.worker.profile.ProfileCapture;
import io.splitbot.worker.session.Sessions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's path for every update, whether it came from the edge or from polling: join a copy already in
 * flight, skip one already handled, wait for the chat's turn, run the bot with retries, dead-letter it after the
 * last failed attempt, and record it as handled. Runs on one event loop.
 */
public final class UpdatePipeline {
  private static final Logger log = LoggerFactory.getLogger(UpdatePipeline.class);

  private final Vertx vertx;
  private final Bot bot;
  private final WorkerPlatforms platforms;
  private final EffectLedger ledger;
  private final Deduplicator dedup;
  private final DeadLetterStore deadLetters;
  private final ChatSequencer sequencer;
  private final int maxAttempts;
  private final WorkerStats stats;
  private final Backoff backoff = new Backoff(100, 5_000);
  /** A third of a claim's life: two renewals can fail before another worker may take the update. */
  static final long CLAIM_RENEW_MS = 3_000;

  private final Map<String, Future<HandleReply>> inFlight = new HashMap<>();
  private final UnsentEffects unsent = new UnsentEffects();
  private final Sessions sessions;
  private final ProfileCapture capture;

  /**
   * @param platforms each platform's dialect and API client; every call an update makes goes through the effect
   *     ledger first.
   * @param sessions where each chat's session lives; saved after a handler succeeds, before the update is marked
   * @param capture records each update's sender before the bot's handlers run
   */
  public UpdatePipeline(Vertx vertx, Bot bot, WorkerPlatforms platforms, EffectLedger ledger, Deduplicator dedup,
      DeadLetterStore deadLetters, ChatSequencer sequencer, int maxAttempts, WorkerStats stats, Sessions sessions,
      ProfileCapture capture) {
    this.sessions = sessions;
    this.capture = capture;
    this.vertx = vertx;
    this.bot = bot;
    this.platforms = platforms;
    this.ledger = ledger;
    this.dedup = dedup;
    this.deadLetters = deadLetters;
    this.sequencer = sequencer;
    this.maxAttempts = maxAttempts;
    this.stats = stats;
  }

  /** Handles an update at most once within the dedup window; the reply says what became of it. */
  public Future<HandleReply> process(UpdateEnvelope update) {
    return process(update, null);
  }

  /**
   * As {@link #process(UpdateEnvelope)}, for a forward from an edge's spool partition: it fails with
   * {@link StaleForward} when {@code fence} (null: none) is older than the partition's newest holder.
   */
  public Future<HandleReply> process(UpdateEnvelope update, SpoolFence fence) {
    stats.received.incrementAndGet();
    // Every line logged while this update is handled, on any hop of the event loop, carries its update_id and chat_id.
    return LogContext.with(LogContext.update(update.key(), update.lane()),
        () -> once(update, false, fence));
  }

  /** Runs a dead-lettered update again, past the dedup mark it got when it was dead-lettered. */
  public Future<HandleReply> replay(UpdateEnvelope update) {
    stats.replayed.incrementAndGet();
    return LogContext.with(LogContext.update(update.key(), update.lane()),
        () -> once(update, true, null));
  }

  /** Updates accepted and not yet answered. */
  public int inFlight() {
    return inFlight.size();
  }

  /**
   * Runs the update unless it was handled ({@code replay}: even then) or another worker runs it now. The claim is
   * renewed while it runs, and given up if it ends without an answer, so the edge's retry can run it anywhere.
   */
  private Future<HandleReply> once(UpdateEnvelope update, boolean replay, SpoolFence fence) {
    String id = update.key();
    Future<HandleReply> running = inFlight.get(id);
    if (running != null) {
      // The edge retried, or polling saw it again, while it was still running here: share the outcome.
      return running;
    }
    Future<HandleReply> result = dedup.claim(id, replay, fence).compose(claim -> switch (claim) {
      case HANDLED -> {
        stats.duplicates.incrementAndGet();
        yield Future.succeededFuture(HandleReply.DUPLICATE);
      }
      case BUSY -> Future.failedFuture(new ClaimedElsewhere(id));
      case STALE -> Future.failedFuture(new StaleForward(id, fence));
      case RUN -> {
        if (!dedup.claimsLapse()) {
          yield inTurn(update);
        }
        long renewal = vertx.setPeriodic(CLAIM_RENEW_MS, t -> dedup.renew(id));
        yield inTurn(update)
            .onComplete(ar -> vertx.cancelTimer(renewal))
            .onFailure(e -> dedup.release(id));
      }
    });
    inFlight.put(id, result);
    result.onComplete(ar -> {
      inFlight.remove(id);
      if (ar.succeeded()) {
        unsent.forget(id);
      }
    });
    return result;
  }

  /**
   * Whether {@code failure} says this copy of an update is another's to run: another worker runs it now, or its edge no
   * longer forwards its partition. Not a failure of the update: the copy joins the run that counts.
   */
  public static boolean ranElsewhere(Throwable failure) {
    return failure instanceof ClaimedElsewhere || failure instanceof StaleForward;
  }

  /** Another worker runs this update now: not a failure of it, so the edge retries later without spending an attempt. */
  static final class ClaimedElsewhere extends RuntimeException implements RetryLater {
    ClaimedElsewhere(String id) {
      super("update " + id + " is being handled by another worker");
    }
  }

  /** The forwarding edge no longer holds the update's spool partition: the new holder sends it, not that edge. */
  public static final class StaleForward extends RuntimeException {
    StaleForward(String id, SpoolFence fence) {
      super("update " + id + " was forwarded under epoch " + fence.epoch() + " of spool partition " + fence.partition()
          + ", which another edge holds now");
    }
  }

  private Future<HandleReply> inTurn(UpdateEnvelope update) {
    // The chat's previous update starts this one from its own callbacks: run it under this update's log fields.
    return sequencer.submit(update.lane(), update.order(), LogContext.bind(() -> attempt(update, 1)));
  }

  private Future<HandleReply> attempt(UpdateEnvelope update, int attempt) {
    return runBot(update).transform(ar -> {
      if (ar.succeeded()) {
        stats.handled.incrementAndGet();
        log.debug("update {} handled (attempt {})", update.key(), attempt);
        return dedup.markHandled(update.key())
            .compose(v -> ledger.forget(update.key()))
            .map(HandleReply.HANDLED);
      }
      if (RetryLater.in(ar.cause())) {
        // A store is down or Telegram said "not now", not the handler: answer "retry later"; no attempt is spent.
        log.warn("update {} postponed: {}", update.key(), ar.cause().getMessage());
        return Future.failedFuture(ar.cause());
      }
      stats.failedAttempts.incrementAndGet();
      String error = Redactor.mask(String.valueOf(ar.cause()));
      // A call refused before it was sent (a button's data over the limit) would be refused again on every attempt.
      if (attempt >= maxAttempts || NoRetry.in(ar.cause())) {
        return deadLetter(update, error, attempt);
      }
      log.warn("update {} (chat {}) handler failed, attempt {}/{}: {}", update.key(), update.chatKey(), attempt, maxAttempts, error);
      return vertx.timer(backoff.delayMs(attempt - 1)).compose(t -> attempt(update, attempt + 1));
    });
  }

  /**
   * One attempt; effects that earlier attempts (or a run before a crash) completed are not repeated. The handler works
   * on a copy of the chat's session, saved only when it succeeds. A session written by this very update means an
   * earlier run succeeded and the worker died before marking it: it is done, and does not run again.
   */
  private Future<Void> runBot(UpdateEnvelope update) {
    String id = update.key();
    return platforms.of(update.platform()).compose(platform -> ledger.recall(id)
        .recover(e -> Future.failedFuture(new StoreUnavailableException("effect ledger", e)))
        .compose(earlier -> sessions.load(update.platform(), update.chatKey())
            .compose(session -> runHandlers(update, platform, earlier, session))));
  }

  private Future<Void> runHandlers(UpdateEnvelope update, WorkerPlatform platform, Map<Integer, EffectLedger.Effect> earlier,
      Sessions.Loaded session) {
    String id = update.key();
    if (session.writtenBy(id)) {
      log.info("update {} already changed its chat's session before a restart: not running it again", id);
      return Future.succeededFuture();
    }
    LedgeredCalls calls = new LedgeredCalls(ledger, id, earlier, platform.client(), unsent);
    JsonObject data = session.data().copy();
    Future<Void> run;
    long started = System.nanoTime();
    try {
      UpdateContext ctx = new UpdateContext(vertx, platform.dialect(), id, update.parsed(), update.chatKey(), calls, data);
      run = capture.handle(ctx, () -> bot.dispatch(ctx));
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(ar -> stats.handlerRan(System.nanoTime() - started, ar.succeeded()));
    return run.recover(e -> Future.failedFuture(calls.ledgerFailure() == null
        ? e
        : new StoreUnavailableException("effect ledger", calls.ledgerFailure())))
        .compose(v -> sessions.save(session, data, id));
  }

  private Future<HandleReply> deadLetter(UpdateEnvelope update, String error, int attempts) {
    log.error("update {} (chat {}) failed {} times, moved to the dead letters: {}", update.key(), update.chatKey(), attempts, error);
    DeadLetter letter = new DeadLetter(update, error, attempts, System.currentTimeMillis(), false);
    // Stored first: if that fails the update is not answered, so the edge keeps it and retries.
    return deadLetters.put(letter)
        .compose(v -> dedup.markHandled(update.key()))
        .map(v -> {
          stats.deadLettered.incrementAndGet();
          return HandleReply.DEAD_LETTERED;
        });
  }
}
