package io.splitbot.shared.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The moment of uncertainty of a recorded send, one at a time per process. A send whose effect is recorded
 * (an {@link io.splitbot.shared.telegram.AttemptGuard}) is "begun" from the instant its store has the record until
 * its request's bytes are with the kernel; a process killed in between leaves a reply nobody can know was sent, and
 * it is never repeated. Letting only one send at a time through that stretch keeps a kill's loss to at most one
 * reply, whatever the concurrency. It costs a store round trip per send, far below any platform's message rate.
 *
 * <p>FIFO; {@link #enter()} completes with the handle that lets the next one in. Thread-safe.
 */
public final class SendWindow {
  private static final Map<Vertx, SendWindow> perVertx = new WeakHashMap<>();

  private final ArrayDeque<Promise<Runnable>> waiting = new ArrayDeque<>();
  private boolean held;

  /** The one window of the process that runs {@code vertx}. */
  public static SendWindow of(Vertx vertx) {
    synchronized (perVertx) {
      return perVertx.computeIfAbsent(vertx, v -> new SendWindow());
    }
  }

  /** Completes once this caller holds the window; run the handle (once) when the request has left. */
  public Future<Runnable> enter() {
    Promise<Runnable> entry = Promise.promise();
    synchronized (this) {
      if (held) {
        waiting.add(entry);
        return entry.future();
      }
      held = true;
    }
    entry.complete(leaver());
    return entry.future();
  }

  private Runnable leaver() {
    boolean[] left = {false};
    return () -> {
      Promise<Runnable> next;
      synchronized (this) {
        if (left[0]) {
          return;
        }
        left[0] = true;
        next = waiting.poll();
        if (next == null) {
          held = false;
          return;
        }
      }
      next.complete(leaver());
    };
  }

  /** Callers waiting to enter (for tests and metrics). */
  public synchronized int waiting() {
    return waiting.size();
  }
}
