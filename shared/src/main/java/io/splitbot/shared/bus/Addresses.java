package io.splitbot.shared.bus;

/**
 * Event-bus addresses shared by the edge and the worker. The members' own (heartbeats, the start-up pings, each
 * member's address) are {@link io.splitbot.shared.cluster.Members}'.
 */
public final class Addresses {
  /** Request-reply: body is an {@link io.splitbot.shared.update.UpdateEnvelope} as JSON; reply is a {@link HandleReply}. */
  public static final String WORKER_UPDATES = "splitbot.worker.updates";
  /** Request-reply readiness probe answered by every worker with {@code {"worker":nodeId}}. */
  public static final String WORKER_PING = "splitbot.worker.ping";
  /**
   * Request-reply health probe for the edge's {@code /health/services}: a worker answers with its own state and a
   * timed check of Redis and of its storage, each {@code {"status","latency_ms",...}}.
   */
  public static final String WORKER_HEALTH = "splitbot.worker.health";
  /**
   * Request-reply: an edge answers with its counters (totals and per minute) and its spool depth, as at its own member
   * address; the worker's {@code /monitoring/webhook/stats} asks here before the heartbeats have shown it any edge.
   */
  public static final String EDGE_STATS = "splitbot.edge.stats";
  /**
   * Request-reply: an edge answers with the detail of its {@code /health/services} (every dependency's status and the
   * members), for the worker's ops console.
   */
  public static final String EDGE_SERVICES = "splitbot.edge.services";

  private Addresses() {
  }
}
