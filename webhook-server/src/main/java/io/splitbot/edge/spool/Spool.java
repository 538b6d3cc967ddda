package io.splitbot.edge.spool;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import java.util.List;

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
   * Opens the spool and returns what it still holds from before, in delivery order ({@link UpdateEnvelope#ORDER}):
   * updates accepted but not yet
   * confirmed as handled. Called once, before any other method.
   */
  Future<List<UpdateEnvelope>> open();

  /**
   * Makes the update durable. Fails with {@link SpoolFullException} when it holds {@code SPOOL_MAX_UPDATES}
   * updates, and with any other exception when it cannot write; the edge then answers 503.
   */
  Future<Appended> append(UpdateEnvelope update);

  /** Forgets an update the worker has handled. Removing an unknown id is a no-op. */
  Future<Void> remove(String updateKey);

  /**
   * Succeeds when the spool can make an update durable now (its store answers and takes writes); the edge's
   * health check for the platform. A full spool still succeeds: it refuses with 503 until the worker catches up.
   */
  Future<Void> probe();

  /** Updates held now. */
  int size();

  Future<Void> close();
}
