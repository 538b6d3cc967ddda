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
  private final Map<String, Set<Integer>> unsent = new HashMap<>();

  void add(String updateKey, int seq) {
    unsent.computeIfAbsent(updateKey, k -> new HashSet<>()).add(seq);
  }

  void sent(String updateKey, int seq) {
    Set<Integer> seqs = unsent.get(updateKey);
    if (seqs != null) {
      seqs.remove(seq);
      if (seqs.isEmpty()) {
        unsent.remove(updateKey);
      }
    }
  }

  boolean contains(String updateKey, int seq) {
    Set<Integer> seqs = unsent.get(updateKey);
    return seqs != null && seqs.contains(seq);
  }

  /** The update is handled or dead-lettered. */
  public void forget(String updateKey) {
    unsent.remove(updateKey);
  }
}
