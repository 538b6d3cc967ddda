package io.splitbot.shared.deadletter;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What an operator can do with dead letters, for the CLI ({@link DeadLetterConsole}) and the worker's ops console
 * alike: list the worker's and the edge's letters, find which store holds an update, ask for a replay and wait for
 * the service that owns it to carry it out, drop one. Futures only, so it runs on an event loop as well as under a
 * CLI's awaits.
 */
public final class DeadLetterActions {
  /** How often a replay's outcome is looked for while waiting. */
  static final long REPLAY_POLL_MS = 250;

  private final Vertx vertx;
  private final Map<DeadLetterOwner, DeadLetterStore> stores;

  /** @param stores the worker's and the edge's stores, as {@link DeadLetterOwner#open} opens them */
  public DeadLetterActions(Vertx vertx, Map<DeadLetterOwner, DeadLetterStore> stores) {
    this.vertx = vertx;
    this.stores = new EnumMap<>(stores);
  }

  /** A letter and whose it is. */
  public record Owned(DeadLetterOwner owner, DeadLetter letter) {
  }

  /** Every letter that could be read, oldest update first, and the stores that could not be read, with why. */
  public record Listing(List<Owned> letters, Map<DeadLetterOwner, Throwable> unreadable) {
  }

  /** Why an update named by an operator cannot be acted on. */
  public enum Problem {
    /** The update or {@code from} is malformed, or both stores hold it and {@code from} does not say which. */
    USAGE,
    /** No store (or not the one {@code from} names) holds a letter for it. */
    NOT_FOUND
  }

  /** The store that holds an update's letter, or the problem, with the reason the operator is told. */
  public record Found(DeadLetterOwner owner, Problem problem, String reason) {
    static Found refused(Problem problem, String reason) {
      return new Found(null, problem, reason);
    }

    public boolean found() {
      return problem == null;
    }
  }

  /** How a replay ended: handled (or, at the edge, delivered); failed again, with the new letter; or not taken yet. */
  public enum ReplayEnd { DONE, FAILED_AGAIN, STILL_WAITING }

  public record ReplayOutcome(ReplayEnd end, DeadLetter letter) {
  }

  public Future<Listing> list() {
    Map<DeadLetterOwner, Future<List<DeadLetter>>> reads = new LinkedHashMap<>();
    stores.forEach((owner, store) -> reads.put(owner, store.list()));
    return Future.join(new ArrayList<>(reads.values())).transform(ar -> {
      List<Owned> letters = new ArrayList<>();
      Map<DeadLetterOwner, Throwable> unreadable = new EnumMap<>(DeadLetterOwner.class);
      reads.forEach((owner, read) -> {
        if (read.succeeded()) {
          read.result().forEach(l -> letters.add(new Owned(owner, l)));
        } else {
          unreadable.put(owner, read.cause());
        }
      });
      letters.sort(Comparator.comparing((Owned o) -> o.letter().update(), UpdateEnvelope.ORDER));
      return Future.succeededFuture(new Listing(letters, unreadable));
    });
  }

  /** What is wrong with an update's key as an operator gives it, or null: a key is one word, as listings show it. */
  public static String keyProblem(String key) {
    if (key == null || key.isEmpty() || key.length() > 512 || !key.chars().allMatch(c -> c > ' ' && c != 0x7f)) {
      return "UPDATE must be an update as dead-letters list shows it (5, or max:mid.…), got '" + key + "'";
    }
    return null;
  }

  /** Which store holds the update: the one {@code from} ({@code worker} or {@code edge}; null: either) names, or the only one that has it. */
  public Future<Found> find(String updateKey, String from) {
    String problem = keyProblem(updateKey);
    if (problem != null) {
      return Future.succeededFuture(Found.refused(Problem.USAGE, problem));
    }
    if (from != null) {
      DeadLetterOwner owner = DeadLetterOwner.byLabel(from);
      if (owner == null) {
        return Future.succeededFuture(Found.refused(Problem.USAGE, "--from must be worker or edge, got '" + from + "'"));
      }
      return stores.get(owner).get(updateKey).map(letter -> letter == null
          ? Found.refused(Problem.NOT_FOUND, "No dead letter for update " + updateKey + " at the " + owner.label())
          : new Found(owner, null, null));
    }
    Map<DeadLetterOwner, Future<DeadLetter>> reads = new LinkedHashMap<>();
    stores.forEach((owner, store) -> reads.put(owner, store.get(updateKey)));
    return Future.all(new ArrayList<>(reads.values())).map(all -> {
      List<DeadLetterOwner> holders = reads.entrySet().stream().filter(e -> e.getValue().result() != null)
          .map(Map.Entry::getKey).toList();
      if (holders.isEmpty()) {
        return Found.refused(Problem.NOT_FOUND, "No dead letter for update " + updateKey);
      }
      if (holders.size() > 1) {
        return Found.refused(Problem.USAGE, "Update " + updateKey
            + " is a dead letter at both the worker and the edge; say which with --from worker or --from edge");
      }
      return new Found(holders.get(0), null, null);
    });
  }

  /** Marks the owner's letter for replay; the owning service's {@link DeadLetterReplayer} carries it out. */
  public Future<Boolean> requestReplay(DeadLetterOwner owner, String updateKey) {
    return stores.get(owner).requestReplay(updateKey);
  }

  /** Waits up to {@code waitMs} for a requested replay to end: the letter gone, or stored again unmarked. */
  public Future<ReplayOutcome> awaitReplay(DeadLetterOwner owner, String updateKey, long waitMs) {
    return poll(stores.get(owner), updateKey, System.currentTimeMillis() + waitMs);
  }

  private Future<ReplayOutcome> poll(DeadLetterStore store, String updateKey, long deadline) {
    if (System.currentTimeMillis() >= deadline) {
      return Future.succeededFuture(new ReplayOutcome(ReplayEnd.STILL_WAITING, null));
    }
    return vertx.timer(REPLAY_POLL_MS, TimeUnit.MILLISECONDS).compose(t -> store.get(updateKey)).compose(now -> {
      if (now == null) {
        return Future.succeededFuture(new ReplayOutcome(ReplayEnd.DONE, null));
      }
      if (!now.replayRequested()) {
        return Future.succeededFuture(new ReplayOutcome(ReplayEnd.FAILED_AGAIN, now));
      }
      return poll(store, updateKey, deadline);
    });
  }

  /** Deletes the owner's letter for good; false when it was gone already. */
  public Future<Boolean> drop(DeadLetterOwner owner, String updateKey) {
    return stores.get(owner).remove(updateKey);
  }
}
