package io.splitbot.worker.storage.consistency;

import io.splitbot.worker.storage.AsyncLoop;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.migration.MigrationState;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two backends record by record and repairs one from the other. Reachable from code (the dual backend,
 * the internal API) and from the CLI ({@code migrate validate}, {@code migrate repair}). The migration's own records
 * ({@link MigrationState}) are not the bot's data: they are neither compared nor copied.
 */
public final class ConsistencyChecker {
  private final Storage source;
  private final Storage target;

  public ConsistencyChecker(Storage source, Storage target) {
    this.source = source;
    this.target = target;
  }

  /** Field-by-field comparison of two versions of a record (either may be null). */
  public static <T> RecordDiff compare(Kind<T> kind, String key, T s, T t) {
    if (s == null && t == null) {
      return new RecordDiff(kind.name(), key, RecordDiff.Status.MISSING_IN_BOTH, List.of());
    }
    if (t == null) {
      return new RecordDiff(kind.name(), key, RecordDiff.Status.MISSING_IN_TARGET, List.of());
    }
    if (s == null) {
      return new RecordDiff(kind.name(), key, RecordDiff.Status.MISSING_IN_SOURCE, List.of());
    }
    JsonObject a = kind.toJson(s);
    JsonObject b = kind.toJson(t);
    List<RecordDiff.FieldDiff> fields = new ArrayList<>();
    for (String f : kind.fields()) {
      if (!Objects.equals(a.getValue(f), b.getValue(f))) {
        fields.add(new RecordDiff.FieldDiff(f, a.getValue(f), b.getValue(f)));
      }
    }
    return new RecordDiff(kind.name(), key, fields.isEmpty() ? RecordDiff.Status.EQUAL : RecordDiff.Status.DIFFERENT, fields);
  }

  /** Validates one record by its key. */
  public <T> Future<RecordDiff> validateRecord(Kind<T> kind, String key) {
    String k = kind.normaliseKey(key);
    return Future.all(source.records(kind).getAll(List.of(k)), target.records(kind).getAll(List.of(k)))
        .map(cf -> compare(kind, k, ((Map<String, T>) cf.resultAt(0)).get(k), ((Map<String, T>) cf.resultAt(1)).get(k)));
  }

  /**
   * Validates a record with the children it owns (a request with its comments, history and assignments): the
   * record's diff first, then one diff per child that is not equal on both sides.
   */
  public Future<List<RecordDiff>> validateFamily(Kind<?> kind, String key) {
    String k = kind.normaliseKey(key);
    List<Future<List<RecordDiff>>> parts = new ArrayList<>();
    parts.add(validateRecord(kind, k).map(List::of));
    for (Kind<?> child : Kinds.all()) {
      if (child.parent() == kind) {
        parts.add(children(child, k));
      }
    }
    return Future.all(parts).map(cf -> {
      List<RecordDiff> out = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        out.addAll(cf.<List<RecordDiff>>resultAt(i));
      }
      return out;
    });
  }

  private <T> Future<List<RecordDiff>> children(Kind<T> kind, String parentKey) {
    Query owned = Query.all().eq(kind.parentField(), parentKey);
    return Future.all(source.records(kind).find(owned), target.records(kind).find(owned)).map(cf -> {
      Map<String, T> a = new java.util.LinkedHashMap<>();
      Map<String, T> b = new java.util.LinkedHashMap<>();
      cf.<List<T>>resultAt(0).forEach(t -> a.put(kind.key(t), t));
      cf.<List<T>>resultAt(1).forEach(t -> b.put(kind.key(t), t));
      java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
      keys.addAll(b.keySet());
      List<RecordDiff> out = new ArrayList<>();
      for (String k : keys) {
        RecordDiff d = compare(kind, k, a.get(k), b.get(k));
        if (!d.equal()) {
          out.add(d);
        }
      }
      return out;
    });
  }

  /** Validates every record of the kinds (all kinds when null or empty). */
  public Future<ValidationReport> validate(List<Kind<?>> kinds, int batchSize, int maxDiffs, Progress progress) {
    List<Kind<?>> todo = kinds == null || kinds.isEmpty() ? Kinds.all() : kinds;
    List<ValidationReport.KindResult> results = new ArrayList<>();
    List<RecordDiff> diffs = new ArrayList<>();
    boolean[] truncated = {false};
    Future<Void> chain = Future.succeededFuture();
    for (Kind<?> k : todo) {
      chain = chain.compose(v -> validateKind(k, batchSize, maxDiffs, progress, diffs, truncated).map(r -> {
        results.add(r);
        return null;
      }));
    }
    return chain.map(v -> new ValidationReport(source.backend(), target.backend(), results, diffs, truncated[0]));
  }

  private <T> Future<ValidationReport.KindResult> validateKind(Kind<T> kind, int batchSize, int maxDiffs, Progress progress,
      List<RecordDiff> diffs, boolean[] truncated) {
    long[] c = new long[6]; // sourceCount, targetCount, equal, different, missingInTarget, missingInSource
    RecordStore<T> src = source.records(kind);
    RecordStore<T> dst = target.records(kind);
    return src.count().compose(n -> {
      progress.start("validate " + kind.name(), n, 0);
      return pass(src, dst, null, batchSize, (key, s, t) -> {
        if (MigrationState.isBookkeeping(kind, key)) {
          return;
        }
        c[0]++;
        RecordDiff d = compare(kind, key, s, t);
        switch (d.status()) {
          case EQUAL -> c[2]++;
          case DIFFERENT -> c[3]++;
          default -> c[4]++;
        }
        keep(d, diffs, maxDiffs, truncated);
      }, progress);
    }).compose(v -> {
      progress.end();
      return pass(dst, src, null, batchSize, (key, t, s) -> {
        if (MigrationState.isBookkeeping(kind, key)) {
          return;
        }
        c[1]++;
        if (s == null) {
          c[5]++;
          keep(compare(kind, key, null, t), diffs, maxDiffs, truncated);
        }
      }, Progress.NONE);
    }).map(v -> new ValidationReport.KindResult(kind.name(), c[0], c[1], c[2], c[3], c[4], c[5]));
  }

  private static void keep(RecordDiff d, List<RecordDiff> diffs, int max, boolean[] truncated) {
    if (d.equal()) {
      return;
    }
    if (diffs.size() < max) {
      diffs.add(d);
    } else {
      truncated[0] = true;
    }
  }

  interface Visitor<T> {
    void visit(String key, T here, T there);
  }

  /** Scans {@code here} in key order and looks each batch up in {@code there}. */
  static <T> Future<Void> pass(RecordStore<T> here, RecordStore<T> there, String afterKey, int batchSize, Visitor<T> visitor,
      Progress progress) {
    Kind<T> kind = here.kind();
    String[] after = {afterKey};
    return AsyncLoop.whileTrue(() -> here.scan(after[0], batchSize).compose(batch -> {
      if (batch.isEmpty()) {
        return Future.succeededFuture(false);
      }
      List<String> keys = batch.stream().map(kind::key).toList();
      return there.getAll(keys).map(found -> {
        for (T r : batch) {
          String key = kind.key(r);
          visitor.visit(key, r, found.get(key));
        }
        progress.step(batch.size());
        after[0] = keys.get(keys.size() - 1);
        return batch.size() >= batchSize;
      });
    }));
  }

  /** The outcome of a repair. */
  public record RepairReport(String sourceOfTruth, String repaired, long copied, long deleted, long unchanged) {
    public JsonObject toJson() {
      return new JsonObject().put("source_of_truth", sourceOfTruth).put("repaired", repaired).put("copied", copied)
          .put("deleted", deleted).put("unchanged", unchanged);
    }
  }

  /**
   * Makes one record of the other side equal to the source of truth (copy, or delete when the truth has none).
   *
   * @param truthIsSource true: the checker's source is the truth and the target is repaired; false: the reverse
   */
  public <T> Future<RecordDiff> repairRecord(Kind<T> kind, String key, boolean truthIsSource) {
    Storage truth = truthIsSource ? source : target;
    Storage other = truthIsSource ? target : source;
    String k = kind.normaliseKey(key);
    return truth.records(kind).getAll(List.of(k)).compose(found -> {
      T r = found.get(k);
      Future<Void> fix = r == null ? other.records(kind).deleteAll(List.of(k)) : other.records(kind).putAll(List.of(r), true);
      return fix;
    }).compose(v -> validateRecord(kind, k));
  }

  /**
   * Copies every record that is missing or different from the source of truth to the other side. With
   * {@code deleteExtra}, records that exist only on the other side are deleted too (children before parents).
   */
  public Future<RepairReport> repair(List<Kind<?>> kinds, boolean truthIsSource, boolean deleteExtra, int batchSize,
      boolean dryRun, Progress progress) {
    Storage truth = truthIsSource ? source : target;
    Storage other = truthIsSource ? target : source;
    List<Kind<?>> todo = kinds == null || kinds.isEmpty() ? Kinds.all() : kinds;
    long[] c = new long[3]; // copied, deleted, unchanged
    Future<Void> chain = Future.succeededFuture();
    for (Kind<?> k : todo) {
      chain = chain.compose(v -> copyKind(k, truth, other, batchSize, dryRun, progress, c));
    }
    if (deleteExtra) {
      List<Kind<?>> reversed = new ArrayList<>(todo);
      java.util.Collections.reverse(reversed);
      for (Kind<?> k : reversed) {
        chain = chain.compose(v -> deleteExtra(k, truth, other, batchSize, dryRun, c));
      }
    }
    return chain.map(v -> new RepairReport(truth.backend(), other.backend(), c[0], c[1], c[2]));
  }

  private static <T> Future<Void> copyKind(Kind<T> kind, Storage truth, Storage other, int batchSize, boolean dryRun,
      Progress progress, long[] c) {
    return truth.records(kind).count().compose(n -> {
      progress.start("repair " + kind.name(), n, 0);
      return copyFrom(kind, truth.records(kind), other.records(kind), null, batchSize, dryRun, progress, c);
    }).onComplete(ar -> progress.end());
  }

  private static <T> Future<Void> copyFrom(Kind<T> kind, RecordStore<T> truth, RecordStore<T> other, String afterKey,
      int batchSize, boolean dryRun, Progress progress, long[] c) {
    String[] after = {afterKey};
    return AsyncLoop.whileTrue(() -> truth.scan(after[0], batchSize).compose(batch -> {
      if (batch.isEmpty()) {
        return Future.succeededFuture(false);
      }
      List<String> keys = batch.stream().map(kind::key).toList();
      return other.getAll(keys).compose(found -> {
        List<T> fix = new ArrayList<>();
        for (T r : batch) {
          if (MigrationState.isBookkeeping(kind, kind.key(r))) {
            continue;
          }
          if (compare(kind, kind.key(r), r, found.get(kind.key(r))).equal()) {
            c[2]++;
          } else {
            fix.add(r);
          }
        }
        c[0] += fix.size();
        Future<Void> w = dryRun ? Future.succeededFuture() : other.putAll(fix, true);
        return w.map(v -> {
          progress.step(batch.size());
          after[0] = keys.get(keys.size() - 1);
          return batch.size() >= batchSize;
        });
      });
    }));
  }

  private static <T> Future<Void> deleteExtra(Kind<T> kind, Storage truth, Storage other, int batchSize, boolean dryRun, long[] c) {
    List<String> extra = new ArrayList<>();
    return pass(other.records(kind), truth.records(kind), null, batchSize, (key, here, there) -> {
      if (there == null && !MigrationState.isBookkeeping(kind, key)) {
        extra.add(key);
      }
    }, Progress.NONE).compose(v -> {
      c[1] += extra.size();
      return dryRun ? Future.succeededFuture() : other.records(kind).deleteAll(extra);
    });
  }
}
