package io.splitbot.worker.deadletter;

import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out replay requests left in the dead-letter store (by the CLI): runs each update through the pipeline
 * again, removes it from the dead letters when it is handled, and leaves it there with the new error otherwise.
 */
public final class DeadLetterReplayer {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterReplayer.class);

  private final Vertx vertx;
  private final DeadLetterStore store;
  private final Function<UpdateEnvelope, Future<HandleReply>> replay;
  private final long periodMs;
  private long timer = -1;
  private boolean busy;

  public DeadLetterReplayer(Vertx vertx, DeadLetterStore store, Function<UpdateEnvelope, Future<HandleReply>> replay, long periodMs) {
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
    if (busy) {
      return;
    }
    busy = true;
    store.list()
        .compose(letters -> {
          Future<Void> chain = Future.succeededFuture();
          for (DeadLetter letter : letters) {
            if (letter.replayRequested()) {
              chain = chain.compose(v -> replayOne(letter));
            }
          }
          return chain;
        })
        .onFailure(e -> log.warn("dead-letter replay scan failed: {}", e.getMessage()))
        .onComplete(ar -> busy = false);
  }

  private Future<Void> replayOne(DeadLetter letter) {
    long id = letter.update().updateId();
    log.info("replaying dead-lettered update {}", id);
    return replay.apply(letter.update()).compose(reply -> {
      if (reply == HandleReply.HANDLED) {
        log.info("dead-lettered update {} replayed and handled", id);
        return store.remove(id).mapEmpty();
      }
      log.warn("dead-lettered update {} failed again; it stays in the dead letters", id);
      return Future.<Void>succeededFuture();
    });
  }
}
