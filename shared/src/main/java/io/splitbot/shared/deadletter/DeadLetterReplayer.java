package io.splitbot.shared.deadletter;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out replay requests left in a dead-letter store (by the CLI): hands each flagged update to {@code replay},
 * removes the letter once that reports it done, and leaves it otherwise (the replay path has then stored the letter
 * again with its new error, which clears the flag). A replay that fails outright (a store is down) stays flagged and
 * is tried at the next scan. Replays run side by side, each letter once at a time, so one that waits for a worker
 * outage (at the edge, delivery waits as long as the outage lasts) holds up no other. Use from one event loop.
 */
public final class DeadLetterReplayer {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);

  private final Vertx vertx;
  private final DeadLetterStore store;
  private final Function<UpdateEnvelope, Future<Boolean>> replay;
  private final long periodMs;
  private final Set<String> replaying = new HashSet<>();
  private long timer = -1;
  private boolean scanning;
  private boolean indexed;

  /** @param replay runs the update again; true when it went through, false when it failed again. */
  public DeadLetterReplayer(Vertx vertx, DeadLetterStore store, Function<UpdateEnvelope, Future<Boolean>> replay, long periodMs) {
    this.vertx = vertx;
    this.store = store;
    this.replay = replay;
    this.periodMs = periodMs;
  }

  public void start() {
    timer = vertx.setPeriodic(periodMs, id -> scan());
  }

  public void stop() {
    vertx.cancelTimer(timer);
  }

  private void scan() {
    if (scanning) {
      return;
    }
    scanning = true;
    // The first scan reads every letter once: one marked by a version without the index has no entry in it.
    Future<List<String>> marked = indexed ? store.replayRequested() : store.list().map(letters -> letters.stream()
        .filter(DeadLetter::replayRequested).map(letter -> letter.update().key()).toList());
    marked
        .onSuccess(keys -> {
          indexed = true;
          keys.stream().filter(key -> !replaying.contains(key)).forEach(this::replayMarked);
        })
        .onFailure(e -> log.warn("dead-letter replay scan failed: {}", e.getMessage()))
        .onComplete(ar -> scanning = false);
  }

  /**
   * Replays the letter if it is still there and marked. A stale mark (left by a crash between the two writes) is
   * left alone: clearing it here could race with a CLI in another process marking the letter again.
   */
  private void replayMarked(String key) {
    replaying.add(key);
    store.get(key).onComplete(ar -> {
      replaying.remove(key);
      if (ar.failed()) {
        log.warn("dead letter {} could not be read for its replay: {}", key, ar.cause().getMessage());
      } else if (ar.result() != null && ar.result().replayRequested()) {
        replayOne(ar.result());
      }
    });
  }

  private void replayOne(DeadLetter letter) {
    String id = letter.update().key();
    replaying.add(id);
    log.info("replaying dead-lettered update {}", id);
    Future<Boolean> outcome;
    try {
      outcome = replay.apply(letter.update());
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    outcome.compose(done -> {
      if (done) {
        log.info("dead-lettered update {} replayed and handled", id);
        return store.remove(id).mapEmpty();
      }
      log.warn("dead-lettered update {} failed again; it stays in the dead letters", id);
      return Future.<Void>succeededFuture();
    }).onFailure(e -> log.warn("replay of dead-lettered update {} did not finish ({}); it stays requested", id, e.getMessage()))
        .onComplete(ar -> replaying.remove(id));
  }
}
