package io.splitbot.worker.storage.migration;

import io.splitbot.worker.storage.AsyncLoop;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.consistency.ConsistencyChecker;
import io.splitbot.worker.storage.consistency.Progress;
import io.splitbot.worker.storage.migration.MigrationReport.KindCounts;
import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies records from one backend to another in key order and in batches. Each record is compared with the target
 * first: equal records are left alone, so a re-run copies nothing twice, and a target record with a newer version
 * (written live through dual mode meanwhile) is never overwritten. After each batch a {@link Checkpoint} is saved, so
 * after Ctrl-C or a crash the same command resumes where it stopped.
 */
public final class Migrator {
  /** What to copy and how. */
  public record Options(List<Kind<?>> kinds, int batchSize, boolean dryRun, boolean validate, Checkpoints checkpoints,
      boolean restart) {
  }

  private final Storage source;
  private final Storage target;
  private final String fromName;
  private final String toName;
  private final Options options;
  private final Progress progress;

  public Migrator(Storage source, Storage target, String fromName, String toName, Options options,
      Progress progress) {
    this.source = source;
    this.target = target;
    this.fromName = fromName;
    this.toName = toName;
    this.options = options;
    this.progress = progress;
  }

  /** Runs the migration. The future fails only on a bug; failures of records or backends are in the report. */
  public Future<MigrationReport> run() {
    long t0 = System.currentTimeMillis();
    MigrationReport report = new MigrationReport(fromName, toName, options.dryRun());
    List<String> kindNames = options.kinds().stream().map(Kind::name).toList();
    for (Kind<?> k : options.kinds()) {
      report.kinds.put(k.name(), new KindCounts());
    }
    Future<Checkpoint> cp = options.dryRun() || options.restart() ? Future.succeededFuture(null)
        : options.checkpoints().load();
    return cp.compose(checkpoint -> {
      int startIndex = 0;
      String after = null;
      if (checkpoint != null) {
        if (checkpoint.matches(fromName, toName, kindNames) && kindNames.contains(checkpoint.kind())) {
          startIndex = kindNames.indexOf(checkpoint.kind());
          after = checkpoint.after();
          checkpoint.counts().forEach(e -> report.kinds.put(e.getKey(), KindCounts.fromJson((JsonObject) e.getValue())));
          report.resumedFrom = checkpoint.kind() + (after == null ? " (start)" : " after " + after);
        } else {
          report.resumedFrom = null; // a checkpoint of another run: start over, it will be overwritten
        }
      }
      int first = startIndex;
      String firstAfter = after;
      int[] index = {first};
      return AsyncLoop.whileTrue(() -> {
        if (index[0] >= options.kinds().size()) {
          return Future.succeededFuture(false);
        }
        Kind<?> kind = options.kinds().get(index[0]);
        String resumeAfter = index[0] == first ? firstAfter : null;
        index[0]++;
        return copyKind(kind, resumeAfter, report).map(true);
      });
    }).compose(v -> options.dryRun() ? Future.<Void>succeededFuture() : options.checkpoints().clear())
        .compose(v -> options.validate()
            ? new ConsistencyChecker(source, target).validate(options.kinds(), Math.max(options.batchSize(), 100), 20, progress)
                .map(vr -> {
                  report.validation = vr;
                  return report;
                })
            : Future.succeededFuture(report))
        .recover(e -> {
          report.error = e.getMessage();
          return Future.succeededFuture(report);
        })
        .map(r -> {
          r.millis = System.currentTimeMillis() - t0;
          return r;
        });
  }

  private <T> Future<Void> copyKind(Kind<T> kind, String resumeAfter, MigrationReport report) {
    KindCounts counts = report.kinds.get(kind.name());
    RecordStore<T> src = source.records(kind);
    RecordStore<T> dst = target.records(kind);
    String[] after = {kind.upgradeKey(resumeAfter)}; // a checkpoint saved before an upgrade has the key's old form
    return src.count().compose(total -> {
      counts.source = total;
      progress.start((options.dryRun() ? "check " : "copy ") + kind.name(), total, resumeAfter == null ? 0 : counts.processed);
      if (resumeAfter == null) {
        counts.processed = 0;
        counts.created = counts.updated = counts.unchanged = counts.skippedNewer = counts.failed = 0;
      }
      return AsyncLoop.whileTrue(() -> src.scan(after[0], options.batchSize()).compose(batch -> {
        if (batch.isEmpty()) {
          return Future.succeededFuture(false);
        }
        List<String> keys = batch.stream().map(kind::key).toList();
        return dst.getAll(keys).compose(existing -> {
          Plan<T> plan = classify(kind, batch, existing);
          Future<List<T>> written = options.dryRun() ? Future.succeededFuture(List.of())
              : writeBatch(dst, kind, plan.write(), report);
          return written.compose(failed -> {
            long failedCreates = failed.stream().filter(r -> !existing.containsKey(kind.key(r))).count();
            counts.created += plan.creates() - failedCreates;
            counts.updated += plan.updates() - (failed.size() - failedCreates);
            counts.failed += failed.size();
            counts.unchanged += plan.unchanged();
            counts.skippedNewer += plan.newer();
            counts.processed += batch.size();
            after[0] = keys.get(keys.size() - 1);
            progress.step(batch.size());
            return saveCheckpoint(kind, after[0], report);
          }).map(v -> batch.size() >= options.batchSize());
        });
      }));
    }).eventually(() -> {
      progress.end();
      return Future.succeededFuture();
    });
  }

  private record Plan<T>(List<T> write, long creates, long updates, long unchanged, long newer) {
  }

  /** Decides per record: create, update, leave alone, or keep the target's newer version. */
  private static <T> Plan<T> classify(Kind<T> kind, List<T> batch, Map<String, T> existing) {
    List<T> write = new ArrayList<>();
    long creates = 0;
    long updates = 0;
    long unchanged = 0;
    long newer = 0;
    for (T r : batch) {
      T e = existing.get(kind.key(r));
      if (MigrationState.isBookkeeping(kind, kind.key(r))) {
        unchanged++; // the migration's own lease, marker and checkpoint: not the bot's data
      } else if (e == null) {
        creates++;
        write.add(r);
      } else if (e.equals(r) || ConsistencyChecker.compare(kind, kind.key(r), r, e).equal()) {
        unchanged++;
      } else if (kind.versionField() != null && kind.version(e) > kind.version(r)) {
        newer++;
      } else {
        updates++;
        write.add(r);
      }
    }
    return new Plan<>(write, creates, updates, unchanged, newer);
  }

  /**
   * Writes one batch at once; when the target refuses it, record by record, to name each failing record and its
   * reason. Returns the records that failed. Fails only when the target is unavailable (the run stops there and can
   * be resumed from the checkpoint).
   */
  private <T> Future<List<T>> writeBatch(RecordStore<T> dst, Kind<T> kind, List<T> write, MigrationReport report) {
    if (write.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return dst.putAll(write, false).<List<T>>map(v -> List.of()).recover(batchError -> {
      if (batchError instanceof StorageUnavailableException) {
        return Future.failedFuture(batchError);
      }
      List<T> failed = new ArrayList<>();
      int[] i = {0};
      return AsyncLoop.whileTrue(() -> {
        if (i[0] >= write.size()) {
          return Future.succeededFuture(false);
        }
        T r = write.get(i[0]++);
        return dst.putAll(List.of(r), false).transform(ar -> {
          if (ar.failed()) {
            if (ar.cause() instanceof StorageUnavailableException) {
              return Future.failedFuture(ar.cause());
            }
            failed.add(r);
            report.fail(kind.name(), kind.key(r), ar.cause().getMessage());
          }
          return Future.succeededFuture(true);
        });
      }).map(v -> failed);
    });
  }

  private Future<Void> saveCheckpoint(Kind<?> kind, String after, MigrationReport report) {
    if (options.dryRun()) {
      return Future.succeededFuture();
    }
    JsonObject counts = new JsonObject();
    report.kinds.forEach((name, c) -> counts.put(name, c.toJson()));
    return options.checkpoints().save(new Checkpoint(fromName, toName, options.kinds().stream().map(Kind::name).toList(),
        kind.name(), after, counts));
  }
}
