package io.splitbot.worker.dedup;

import java.util.Iterator;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Runs of consecutive handled ids, each with {@code since}, the earliest time one of its ids was marked. A new id
 * joins the run next to it when {@code joins} allows it, so a run costs one entry however many ids it holds.
 */
final class IdRuns implements Iterable<IdRuns.Run> {

  static final class Run {
    long start;
    long end;
    long since;

    Run(long start, long end, long since) {
      this.start = start;
      this.end = end;
      this.since = since;
    }
  }

  /** Whether an id marked at {@code now} may join {@code run}. */
  interface JoinRule {
    boolean joins(Run run, long now);
  }

  private final TreeMap<Long, Run> runs = new TreeMap<>();
  private final JoinRule rule;

  IdRuns(JoinRule rule) {
    this.rule = rule;
  }

  /** The run holding {@code id}, or null. */
  Run find(long id) {
    var entry = runs.floorEntry(id);
    return entry != null && entry.getValue().end >= id ? entry.getValue() : null;
  }

  /** Adds {@code id}, marked at {@code now}; an id already in a run changes nothing. */
  void add(long id, long now) {
    if (find(id) != null) {
      return;
    }
    Run left = find(id - 1);
    Run right = runs.get(id + 1);
    boolean joinLeft = left != null && rule.joins(left, now);
    boolean joinRight = right != null && rule.joins(right, now);
    if (joinLeft && joinRight) {
      runs.remove(right.start);
      left.end = right.end;
      left.since = Math.min(left.since, right.since);
    } else if (joinLeft) {
      left.end = id;
    } else if (joinRight) {
      runs.remove(right.start);
      right.start = id;
      runs.put(id, right);
    } else {
      runs.put(id, new Run(id, id, now));
    }
  }

  /** Puts a run back as it was saved; runs come in ascending order and do not overlap. */
  void restore(long start, long end, long since) {
    runs.put(start, new Run(start, end, since));
  }

  Run first() {
    var entry = runs.firstEntry();
    return entry == null ? null : entry.getValue();
  }

  void remove(Run run) {
    runs.remove(run.start);
  }

  void removeIf(Predicate<Run> test) {
    runs.values().removeIf(test);
  }

  boolean isEmpty() {
    return runs.isEmpty();
  }

  int size() {
    return runs.size();
  }

  /** Ascending by id; {@code remove} on the iterator drops the run. */
  @Override
  public Iterator<Run> iterator() {
    return runs.values().iterator();
  }
}
