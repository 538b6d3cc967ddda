package io.splitbot.edge.spool;

import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;

/**
 * Where the edge keeps every accepted update until the worker has handled it. The edge answers 200 only after
 * {@link #append} has completed, so an acked update survives a crash of either service.
 */
public interface Spool {

  /** The outcome of an append. */
  enum Appended {
    /** Newly stored and durable. */
    STORED,
    /** This update (its key) is already in the spool: nothing was added (Telegram redelivered it). */
    ALREADY_SPOOLED
  }

  /**
   * Opens the spool; from then on it hands {@code feed} the updates this edge is to forward, starting with what it
   * still holds from before (updates accepted but not yet confirmed as handled), in delivery order per chat. Called
   * once, before any other method.
   */
  Future<Void> open(SpoolFeed feed);

  /**
   * Makes the update durable. Fails with {@link SpoolFullException} when it holds {@code SPOOL_MAX_UPDATES}
   * updates, and with any other exception when it cannot write; the edge then answers 503. The update reaches the
   * feed by the spool's own way (at once for a file spool, by the partition's holder for Redis).
   */
  Future<Appended> append(UpdateEnvelope update);

  /** Forgets an update the worker has handled. Removing an unknown one is a no-op. */
  Future<Void> remove(UpdateEnvelope update);

  /** Whether the spool still holds the update (it was not yet delivered, or dead-lettered, by any edge). */
  Future<Boolean> holds(UpdateEnvelope update);

  /** Partitions whose forwarder this edge holds now; a spool without partitions has none. */
  default int partitionsHeld() {
    return 0;
  }

  /**
   * The worker refused a forward of {@code fence}'s partition as stale: another edge holds it now, so this edge stops
   * forwarding it at once. A spool without partitions never sees one.
   */
  default void fenced(SpoolFence fence) {
  }

  /**
   * Succeeds when the spool can make an update durable now (its store answers and takes writes); the edge's
   * health check for the platform. A full spool still succeeds: it refuses with 503 until the worker catches up.
   */
  Future<Void> probe();

  /** Updates held now. */
  int size();

  Future<Void> close();
}
