package io.splitbot.worker.pipeline;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the worker did with updates, read by monitoring and tests. */
public final class WorkerStats {
  public final AtomicLong received = new AtomicLong();
  public final AtomicLong handled = new AtomicLong();
  public final AtomicLong duplicates = new AtomicLong();
  public final AtomicLong failedAttempts = new AtomicLong();
  public final AtomicLong deadLettered = new AtomicLong();
  public final AtomicLong replayed = new AtomicLong();
  private volatile HandlerRuns handlerRuns = (nanos, ok) -> {
  };

  /** Told of every handler run's duration and outcome (the metrics' latency histogram). */
  @FunctionalInterface
  public interface HandlerRuns {
    void ran(long nanos, boolean ok);
  }

  public void onHandlerRun(HandlerRuns listener) {
    this.handlerRuns = listener;
  }

  void handlerRan(long nanos, boolean ok) {
    handlerRuns.ran(nanos, ok);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("received", received.get())
        .put("handled", handled.get())
        .put("deduplicated", duplicates.get())
        .put("failed_attempts", failedAttempts.get())
        .put("dead_lettered", deadLettered.get())
        .put("replayed", replayed.get());
  }
}
