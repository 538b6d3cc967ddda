package io.splitbot.edge;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
  private final Map<String, PlatformCounts> platforms = new ConcurrentHashMap<>();

  /** What the webhook of one platform took: the same outcomes as the totals, for that platform alone. */
  public static final class PlatformCounts {
    public final AtomicLong received = new AtomicLong();
    public final AtomicLong acked = new AtomicLong();
    public final AtomicLong rejected = new AtomicLong();
    public final AtomicLong redelivered = new AtomicLong();
    public final AtomicLong unavailable = new AtomicLong();

    JsonObject toJson() {
      return new JsonObject().put("received", received.get()).put("acked", acked.get()).put("rejected", rejected.get())
          .put("redelivered", redelivered.get()).put("unavailable", unavailable.get());
    }
  }

  /** The counts of one platform's webhook, created on first use. */
  public PlatformCounts platform(String name) {
    return platforms.computeIfAbsent(name, k -> new PlatformCounts());
  }

  /** Every platform's counts, by name. */
  public JsonObject platformsJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(platforms).forEach((name, counts) -> json.put(name, counts.toJson()));
    return json;
  }

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
