package io.splitbot.worker.effects;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Effects this process knows were not sent although the ledger may say "begun": the begin was written but its
 * answer was lost (the store failed), or the attempt was refused and the abort could not be written. A later
 * attempt runs them again instead of treating them as uncertain. Used from one event loop.
 */
public final class UnsentEffects {
  private final Map<Long, Set<Integer>> unsent = new HashMap<>();

  void add(long updateId, int seq) {
    unsent.computeIfAbsent(updateId, k -> new HashSet<>()).add(seq);
  }

  void sent(long updateId, int seq) {
    Set<Integer> seqs = unsent.get(updateId);
    if (seqs != null) {
      seqs.remove(seq);
      if (seqs.isEmpty()) {
        unsent.remove(updateId);
      }
    }
  }

  boolean contains(long updateId, int seq) {
    Set<Integer> seqs = unsent.get(updateId);
    return seqs != null && seqs.contains(seq);
  }

  /** The update is handled or dead-lettered. */
  public void forget(long updateId) {
    unsent.remove(updateId);
  }
}
