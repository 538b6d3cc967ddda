package io.splitbot.edge.spool;

import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;

/**
 * Where a spool hands the updates this edge is to forward (the forwarder). Called on the context that opened the
 * spool. A spool with partitions ({@link RedisSpool}) feeds only the partitions whose lease this edge holds, each
 * update with its partition and fencing epoch; a file spool feeds everything, without a fence.
 */
public interface SpoolFeed {

  /** An update durable in the spool, to forward; one already queued is not queued twice. */
  void submit(UpdateEnvelope update, SpoolFence fence);

  /**
   * This edge no longer holds {@code partition}: drop its queued updates that are not in flight (they stay in the
   * spool for the next holder) and retry none of it.
   */
  void revoke(int partition);

  /** Completes once no update of {@code partition} is in flight, so its lease can be handed on. */
  Future<Void> idle(int partition);
}
