package io.splitbot.worker.storage;

import java.util.Comparator;

/**
 * The keys a {@link RecordStore#scan(String, String, int)} covers, for the backends that scan an ordered copy in
 * memory: those starting with {@code prefix} and after {@code afterKey}. They are contiguous in key order, from
 * {@link #start()} until the first key without the prefix.
 */
public record KeyRange(String prefix, String afterKey, Comparator<String> order) {
  /** The first key to look at, or null for the very first; {@link #inclusive()} tells whether it may match itself. */
  public String start() {
    return startsAfterKey() ? afterKey : prefix.isEmpty() ? null : prefix;
  }

  public boolean inclusive() {
    return !startsAfterKey();
  }

  private boolean startsAfterKey() {
    return afterKey != null && (prefix.isEmpty() || order.compare(afterKey, prefix) >= 0);
  }

  /** Past the last key of the range (the keys come in order from {@link #start()}). */
  public boolean ended(String key) {
    return !key.startsWith(prefix);
  }
}
