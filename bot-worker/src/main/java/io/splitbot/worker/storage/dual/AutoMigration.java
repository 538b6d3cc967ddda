package io.splitbot.worker.storage.dual;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.consistency.Progress;
import io.splitbot.worker.storage.consistency.ValidationReport;
import io.splitbot.worker.storage.migration.Checkpoints;
import io.splitbot.worker.storage.migration.MigrationLease;
import io.splitbot.worker.storage.migration.MigrationReport;
import io.splitbot.worker.storage.migration.MigrationState;
import io.splitbot.worker.storage.migration.Migrator;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AUTO_MIGRATE=true (MIGRATION_MODE=auto): at start, in the background while the worker serves (dual writes keep both
 * sides current), migrates the secondary into the primary with the CLI's {@link Migrator}: batches of
 * MIGRATION_BATCH_SIZE, a checkpoint in the primary after each batch, the integrity check at the end. At 100% it
 * writes the marker ({@link MigrationState}) and reads switch to the primary. One worker at a time, under a
 * {@link MigrationLease}; the others wait and switch when the marker appears. A worker that finds the marker does
 * nothing. A run that stops (a store unavailable) or ends below 100% never stops the worker: it is tried again after
 * a backoff, resuming from the checkpoint, and {@link #status()} says so for /health/services and /monitoring.
 */
public final class AutoMigration {
  private static final Logger log = LoggerFactory.getLogger(AutoMigration.class);

  static final long LEASE_MS = 30_000;
  /** A worker without the lease looks again this often (for the marker, or a lapsed lease). */
  static final long WAIT_MS = 3_000;
  static final long FIRST_BACKOFF_MS = 5_000;
  static final long MAX_BACKOFF_MS = 300_000;
  /** Fixed reasons: an exception's message may name a host or a path. */
  static final String STORE_UNAVAILABLE = "a store was unavailable or failed; retrying";
  static final String BELOW_100 = "the integrity check found differences; reads stay on the secondary; retrying";
  static final String LEASE_LOST = "the lease was lost to another worker";

  private final Vertx vertx;
  private final DualStorage dual;
  private final MigrationLease lease;
  private volatile String state;
  private volatile String holder;
  private volatile String reason;
  private volatile String phase = "copy";
  private volatile long copied;
  private volatile long total;
  private volatile Double integrity;
  private volatile long differences;
  private volatile int attempts;
  private volatile boolean stopped;
  private boolean leaseLost;
  private long timer = -1;
  private long renewTimer = -1;

  /** @param owner this worker's id in the lease and the marker */
  public AutoMigration(Vertx vertx, DualStorage dual, String owner) {
    this.vertx = vertx;
    this.dual = dual;
    this.lease = new MigrationLease(dual.primary(), owner, LEASE_MS, System::currentTimeMillis);
    this.state = dual.config().autoMigrate() ? "waiting-for-lease" : "manual";
  }

  /** Starts the first attempt on this worker's context; returns at once. Nothing happens without AUTO_MIGRATE. */
  public void start() {
    if (dual.config().autoMigrate()) {
      vertx.runOnContext(v -> attempt());
    }
  }

  public void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(renewTimer);
  }

  /** For /health/services and /monitoring: state, progress, score and who holds the lease; fixed texts only. */
  public JsonObject status() {
    JsonObject s = new JsonObject()
        .put("status", "failed".equals(state) ? "DOWN" : "UP")
        .put("state", state)
        .put("from", dual.secondary().backend())
        .put("to", dual.primary().backend())
        .put("reads", dual.readSide());
    if (!"manual".equals(state)) {
      s.put("copied", copied).put("total", total).put("batch_size", dual.config().batchSize()).put("attempts", attempts)
          .put("holder", holder);
      if ("running".equals(state)) {
        s.put("phase", phase);
      }
    }
    if (integrity != null) {
      s.put("integrity", integrity).put("differences", differences);
    }
    if (reason != null) {
      s.put("reason", reason);
    }
    return s;
  }

  private void attempt() {
    if (stopped) {
      return;
    }
    MigrationState.marker(dual.primary()).compose(marker -> {
      if (marker != null) {
        alreadyDone(marker);
        return Future.succeededFuture();
      }
      return lease.acquire().compose(h -> {
        if (!h.held()) {
          if (!java.util.Objects.equals(h.owner(), holder) || !"waiting-for-lease".equals(state)) {
            log.info("auto migration: worker {} holds the lease; this worker serves and waits for the marker", h.owner());
          }
          state = "waiting-for-lease";
          holder = h.owner();
          later(WAIT_MS);
          return Future.succeededFuture();
        }
        return run();
      });
    }).onFailure(e -> failed(STORE_UNAVAILABLE, e.getClass().getSimpleName()));
  }

  private void alreadyDone(JsonObject marker) {
    if (!"done".equals(state)) {
      log.info("auto migration: {} -> {} was already completed by {} at {} (integrity {}%); nothing to do",
          marker.getString("from"), marker.getString("to"), marker.getString("by"), marker.getString("at"),
          marker.getValue("integrity"));
    }
    state = "done";
    reason = null;
    holder = marker.getString("by");
    integrity = marker.getDouble("integrity");
    differences = 0;
    copied = total = marker.getLong("records", 0L);
    dual.migrated();
  }

  private Future<Void> run() {
    Storage from = dual.secondary();
    Storage to = dual.primary();
    attempts++;
    state = "running";
    holder = lease.owner();
    reason = null;
    phase = "copy";
    copied = 0;
    leaseLost = false;
    renewTimer = vertx.setPeriodic(LEASE_MS / 3, id -> renew());
    List<Kind<?>> kinds = Kinds.all();
    return count(from, kinds).compose(n -> {
      total = n;
      log.info("auto migration: {} -> {} started by worker {} (attempt {}): {} record(s), batches of {}",
          from.backend(), to.backend(), lease.owner(), attempts, n, dual.config().batchSize());
      Migrator migrator = new Migrator(from, to, from.backend(), to.backend(),
          new Migrator.Options(kinds, dual.config().batchSize(), false, true,
              Checkpoints.inStore(MigrationState.store(to), MigrationState.CHECKPOINT), false),
          new LoggedProgress());
      return migrator.run();
    }).compose(this::finish).eventually(() -> {
      vertx.cancelTimer(renewTimer);
      return Future.succeededFuture();
    });
  }

  private static Future<Long> count(Storage from, List<Kind<?>> kinds) {
    Future<Long> sum = Future.succeededFuture(0L);
    for (Kind<?> k : kinds) {
      sum = sum.compose(n -> from.records(k).count().map(c -> n + c));
    }
    return sum;
  }

  private Future<Void> finish(MigrationReport report) {
    ValidationReport v = report.validation();
    if (v != null) {
      integrity = v.toJson().getDouble("integrity");
      differences = v.union() - v.equal();
    }
    if (report.error() != null || v == null) {
      failed(leaseLost ? LEASE_LOST : STORE_UNAVAILABLE, "the run stopped at " + copied + " of " + total);
      return Future.succeededFuture();
    }
    // the whole run's count, kinds a resumed run had finished before its checkpoint included
    copied = report.kinds().values().stream().mapToLong(c -> c.processed).sum();
    long created = report.kinds().values().stream().mapToLong(c -> c.created).sum();
    long updated = report.kinds().values().stream().mapToLong(c -> c.updated).sum();
    long unchanged = report.kinds().values().stream().mapToLong(c -> c.unchanged + c.skippedNewer).sum();
    if (!report.ok()) {
      log.warn("auto migration: {} -> {} ended at integrity {}% with {} difference(s) and {} failed record(s); "
          + "reads stay on the secondary; retrying", dual.secondary().backend(), dual.primary().backend(),
          String.format(Locale.ROOT, "%.2f", integrity), differences, report.failureCount());
      differences += report.failureCount();
      // the lease is kept (it lapses only if the backoff outlasts it): this worker's next attempt goes on from here
      failed(BELOW_100, null);
      return Future.succeededFuture();
    }
    return MigrationState.markDone(dual.primary(), dual.secondary().backend(), dual.primary().backend(), integrity,
        v.union(), lease.owner()).compose(marker -> {
          state = "done";
          reason = null;
          log.info("auto migration: {} -> {} done: {} of {} record(s) (created {}, updated {}, unchanged {}), "
              + "integrity {}% over {} record(s)", dual.secondary().backend(), dual.primary().backend(), copied, total,
              created, updated, unchanged, String.format(Locale.ROOT, "%.2f", integrity), v.union());
          dual.migrated();
          return lease.release().recover(e -> Future.succeededFuture());
        });
  }

  private void renew() {
    lease.acquire().onSuccess(h -> {
      if (!h.held()) {
        leaseLost = true;
        log.warn("auto migration: worker {} took the lease over; this run stops at its next batch", h.owner());
      }
    }); // a primary that does not answer: the run fails on it too, or the next renewal succeeds
  }

  /** @param cause what to log beside the fixed reason, never an exception's message; null: logged already */
  private void failed(String why, String cause) {
    state = "failed";
    reason = why;
    long backoff = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(10, Math.max(0, attempts - 1)));
    if (cause != null) {
      // not the exception's message: that names the database's host or the JSON files' path
      log.warn("auto migration: {} -> {} did not complete: {} ({}); trying again in {} s", dual.secondary().backend(),
          dual.primary().backend(), why, cause, backoff / 1000);
    }
    later(backoff);
  }

  private void later(long ms) {
    if (!stopped) {
      timer = vertx.setTimer(ms, id -> attempt());
    }
  }

  /** Counts what the migrator has gone through, logs each batch, and stops the run once the lease is lost. */
  private final class LoggedProgress implements Progress {
    private String task;
    private long kindTotal;
    private long kindDone;

    @Override
    public void start(String task, long total, long alreadyDone) {
      this.task = task;
      this.kindTotal = total;
      this.kindDone = alreadyDone;
      if (task.startsWith("copy ")) {
        copied += alreadyDone;
      } else {
        phase = "validate";
      }
      log.info("auto migration: {}: {} record(s){}", task, total, alreadyDone > 0 ? ", resuming at " + alreadyDone : "");
    }

    @Override
    public void step(long n) {
      if (leaseLost || stopped) {
        throw new IllegalStateException(LEASE_LOST);
      }
      kindDone += n;
      if (task.startsWith("copy ")) {
        copied += n;
        log.info("auto migration: {}: {}/{} ({}/{} in all)", task, kindDone, kindTotal, copied, total);
      }
    }

    @Override
    public void end() {
    }
  }
}
