package io.splitbot.edge;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the edge did with updates, read by health, monitoring and tests. */
public final class EdgeStats {
  public final AtomicLong received = new AtomicLong();
  public final AtomicLong acked = new AtomicLong();
  public final AtomicLong rejected = new AtomicLong();
  public final AtomicLong redelivered = new AtomicLong();
  public final AtomicLong forwarded = new AtomicLong();
  public final AtomicLong retried = new AtomicLong();
  public final AtomicLong unavailable = new AtomicLong();
  /** Updates moved to the edge's dead letters after FORWARD_MAX_ATTEMPTS refusals. */
  public final AtomicLong deadLettered = new AtomicLong();
  /** Routing decisions for newly stored updates, per route. */
  public final AtomicLong routedWorker = new AtomicLong();
  public final AtomicLong routedLegacy = new AtomicLong();
  /** Deliveries attempted to the legacy webhook, answered 2xx, and failed then retried. */
  public final AtomicLong legacyForwarded = new AtomicLong();
  public final AtomicLong legacyDelivered = new AtomicLong();
  public final AtomicLong legacyRetried = new AtomicLong();

  public JsonObject toJson() {
    return new JsonObject()
        .put("received", received.get())
        .put("acked", acked.get())
        .put("rejected", rejected.get())
        .put("redelivered", redelivered.get())
        .put("forwarded", forwarded.get())
        .put("retried", retried.get())
        .put("unavailable", unavailable.get())
        .put("dead_lettered", deadLettered.get())
        .put("routed", new JsonObject().put("worker", routedWorker.get()).put("legacy", routedLegacy.get()))
        .put("legacy", new JsonObject()
            .put("forwarded", legacyForwarded.get())
            .put("delivered", legacyDelivered.get())
            .put("retried", legacyRetried.get()));
  }
}
