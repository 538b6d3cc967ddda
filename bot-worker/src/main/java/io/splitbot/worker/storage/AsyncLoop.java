package io.splitbot.worker.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * Repeats an asynchronous step until it answers false, without growing the stack when steps complete at once
 * (the JSON store answers reads synchronously, so a recursive compose chain over 10,000 batches would overflow).
 */
public final class AsyncLoop {
  private AsyncLoop() {
  }

  /** Runs {@code step} until its future yields false or fails. */
  public static Future<Void> whileTrue(Supplier<Future<Boolean>> step) {
    Promise<Void> done = Promise.promise();
    iterate(step, done);
    return done.future();
  }

  private static void iterate(Supplier<Future<Boolean>> step, Promise<Void> done) {
    while (true) {
      Future<Boolean> f;
      try {
        f = step.get();
      } catch (RuntimeException e) {
        done.fail(e);
        return;
      }
      if (f.isComplete()) {
        if (f.failed()) {
          done.fail(f.cause());
          return;
        }
        if (!Boolean.TRUE.equals(f.result())) {
          done.complete();
          return;
        }
        continue;
      }
      f.onComplete(ar -> {
        if (ar.failed()) {
          done.fail(ar.cause());
        } else if (!Boolean.TRUE.equals(ar.result())) {
          done.complete();
        } else {
          iterate(step, done);
        }
      });
      return;
    }
  }
}
