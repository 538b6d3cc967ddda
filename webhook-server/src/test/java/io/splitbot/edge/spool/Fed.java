package io.splitbot.edge.spool;

import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A stand-in forwarder: records what a spool feeds it, and the partitions it revokes; nothing is ever in flight. */
final class Fed implements SpoolFeed {
  /** One submit: the update and the fence it came with (null without partitions). */
  record Submitted(UpdateEnvelope update, SpoolFence fence) {
  }

  private final List<Submitted> submitted = new ArrayList<>();
  private final List<Integer> revoked = new ArrayList<>();

  @Override
  public synchronized void submit(UpdateEnvelope update, SpoolFence fence) {
    submitted.add(new Submitted(update, fence));
  }

  @Override
  public synchronized void revoke(int partition) {
    revoked.add(partition);
  }

  @Override
  public Future<Void> idle(int partition) {
    return Future.succeededFuture();
  }

  synchronized List<Submitted> submitted() {
    return List.copyOf(submitted);
  }

  /** The updates fed, in feed order. */
  synchronized List<UpdateEnvelope> updates() {
    return submitted.stream().map(Submitted::update).toList();
  }

  /** Each update once, in the order it was first fed. */
  synchronized List<UpdateEnvelope> distinct() {
    Set<UpdateEnvelope> seen = new LinkedHashSet<>(updates());
    return new ArrayList<>(seen);
  }

  synchronized List<Integer> revoked() {
    return List.copyOf(revoked);
  }
}
