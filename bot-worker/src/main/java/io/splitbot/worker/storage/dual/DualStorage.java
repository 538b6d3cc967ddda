package io.splitbot.worker.storage.dual;

import io.splitbot.worker.storage.AsyncLoop;
import io.splitbot.worker.storage.KeyedSerializer;
import io.splitbot.worker.storage.KindStore;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.consistency.ConsistencyChecker;
import io.splitbot.worker.storage.migration.MigrationState;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two backends as one, for migrating between them with zero downtime.
 *
 * <p>MIGRATION_MODE=dual: a write goes to the primary, then to the secondary. Before the primary is touched, a
 * repair entry for the secondary is fsynced to the {@link RepairQueue}; it is marked done once the secondary has the
 * write. So if the secondary is down (or the process dies in between), the record is repaired later, never dropped.
 * If the primary is unavailable and SERVICE_FALLBACK_ENABLED, the write goes to the secondary instead, with a repair
 * entry for the primary; the switch is logged and counted. Reads come from the primary, from the secondary when the
 * primary is unavailable (fallback) or still owes that record a repair (a query: any record of its kind or parent
 * kind).
 *
 * <p>While a migration into the primary is owed ({@link StorageConfig.Dual#readsSecondaryUntilMigrated()}: auto
 * migration, or seed 003's implicit JSON + PostgreSQL pair), the primary misses the old records, so reads come from
 * the secondary, which has every old record and, through the dual writes, every new one (from the primary when the
 * secondary still owes that record a repair). A change that reads before it writes ({@link #apply}), and a child
 * written under an old parent, first bring those records into the primary. The switch to the primary is the marker
 * of {@link MigrationState}, in the primary: checked at start and every {@link #MARKER_POLL_MS}, so this worker
 * switches when any worker or the migration CLI has completed the migration, and at once when this one did
 * ({@link #migrated()}).
 *
 * <p>MIGRATION_MODE=primary_only or secondary_only: only that side is read and written. In every mode the queue is
 * drained in the background (every DUAL_REPAIR_INTERVAL), so switching modes is a restart and loses nothing.
 */
public final class DualStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(DualStorage.class);

  private final Vertx vertx;
  private final Storage primary;
  private final Storage secondary;
  private final StorageConfig.Dual config;
  private final RepairQueue queue;
  private final KeyedSerializer serial = new KeyedSerializer();
  private final AtomicLong fallbackWrites = new AtomicLong();
  private final AtomicLong fallbackReads = new AtomicLong();
  private final AtomicLong secondaryFailures = new AtomicLong();
  private final AtomicLong repaired = new AtomicLong();
  private final AtomicLong repairFailures = new AtomicLong();
  private final Set<String> startedSides = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile String lastError;
  private volatile Throwable brokenSide;
  private volatile Future<Integer> drainInProgress;
  private long timer = -1;
  /** While true, reads come from the secondary: the migration into the primary is owed. */
  private volatile boolean readSecondary;
  private volatile long markerTimer = -1;

  /** How often a worker waiting for the migration's marker looks for it: one read of one record. */
  public static final long MARKER_POLL_MS = 3_000;

  public DualStorage(Vertx vertx, Storage primary, Storage secondary, StorageConfig.Dual config, Path dualDir) {
    this.vertx = vertx;
    this.primary = primary;
    this.secondary = secondary;
    this.config = config;
    this.queue = new RepairQueue(vertx, dualDir.resolve("repair-queue.jsonl"));
    this.readSecondary = config.readsSecondaryUntilMigrated();
  }

  public StorageConfig.Dual config() {
    return config;
  }

  /** "secondary" while the migration into the primary is owed, else the side the mode reads. */
  public String readSide() {
    return role(reader());
  }

  /**
   * The migration into the primary has completed at 100% (the marker is written): reads come from the primary from
   * now on. Idempotent.
   */
  public void migrated() {
    if (!readSecondary) {
      return;
    }
    readSecondary = false;
    if (markerTimer >= 0) {
      vertx.cancelTimer(markerTimer);
      markerTimer = -1;
    }
    log.info("dual storage: the migration {} -> {} is complete (integrity 100%); reads now come from the primary {}",
        secondary.backend(), primary.backend(), primary.backend());
  }

  /** Looks for the marker once; switches reads when it is there. A primary that does not answer: next time. */
  private Future<Void> checkMarker() {
    if (!readSecondary || !startedSides.contains(primary.backend())) {
      return Future.succeededFuture();
    }
    return MigrationState.marker(primary).transform(ar -> {
      if (ar.succeeded() && ar.result() != null) {
        migrated();
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public String backend() {
    return "dual";
  }

  public Storage primary() {
    return primary;
  }

  public Storage secondary() {
    return secondary;
  }

  public RepairQueue queue() {
    return queue;
  }

  /** A checker that compares the primary (source of truth) with the secondary. */
  public ConsistencyChecker checker() {
    return new ConsistencyChecker(primary, secondary);
  }

  /**
   * Copies one record between the sides, now, under the same lock as live writes: from the secondary into the
   * primary when {@code fromSecondary}, else the other way. A request is copied with its comments, history and
   * assignments. Returns the diffs left afterwards (all equal when it worked). For the internal API's
   * {@code migration/sync}.
   */
  public Future<List<io.splitbot.worker.storage.consistency.RecordDiff>> syncRecord(Kind<?> kind, String key,
      boolean fromSecondary) {
    String k = kind.normaliseKey(key);
    Storage from = fromSecondary ? secondary : primary;
    Storage to = fromSecondary ? primary : secondary;
    return serial.run(lockKey(kind.name(), k), () -> sync(kind.name(), k, from, to).onSuccess(v -> {
      long[] ids = queue.idsOf(kind.name(), k, to.backend());
      queue.done(ids);
      repaired.addAndGet(ids.length);
    })).compose(v -> validateRecord(kind, k));
  }

  /** Compares one record on both sides (a request together with its children). For {@code migration/validate}. */
  public Future<List<io.splitbot.worker.storage.consistency.RecordDiff>> validateRecord(Kind<?> kind, String key) {
    return checker().validateFamily(kind, kind.normaliseKey(key));
  }

  private boolean dualMode() {
    return config.mode().equals("dual");
  }

  private Storage active() {
    return config.mode().equals("secondary_only") ? secondary : primary;
  }

  private Storage other(Storage s) {
    return s == primary ? secondary : primary;
  }

  private Storage byName(String backend) {
    if (primary.backend().equals(backend)) {
      return primary;
    }
    if (secondary.backend().equals(backend)) {
      return secondary;
    }
    return null;
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public Future<Void> start() {
    return queue.open()
        .compose(v -> Future.join(startSide(primary), startSide(secondary)))
        .compose(v -> {
          if (brokenSide != null) {
            // not an outage but something to fix (a damaged JSON file, a rejected token): stop here
            return Future.failedFuture(brokenSide);
          }
          Storage a = active();
          if (!startedSides.contains(a.backend())) {
            boolean canFallBack = dualMode() && config.fallback() && startedSides.contains(secondary.backend());
            if (!canFallBack) {
              return Future.failedFuture(new StorageUnavailableException("dual storage: the " + role(a) + " ("
                  + a.backend() + ") could not start: " + lastError));
            }
            log.warn("dual storage: primary {} is unavailable at start-up; serving from the secondary {} (fallback)",
                primary.backend(), secondary.backend());
          }
          log.info("dual storage: mode={}, primary={}, secondary={}, fallback={}, {} repair(s) pending",
              config.mode(), primary.backend(), secondary.backend(), config.fallback(), queue.size());
          timer = vertx.setPeriodic(config.repairIntervalMs(), id -> drainNow());
          return checkMarker().onSuccess(checked -> {
            if (readSecondary) {
              log.info("dual storage: reads come from the secondary {} until the migration into the primary {} "
                  + "completes", secondary.backend(), primary.backend());
              markerTimer = vertx.setPeriodic(MARKER_POLL_MS, id -> checkMarker());
            }
          });
        })
        .recover(e -> Future.join(primary.close(), secondary.close(), queue.close())
            .transform(ar -> Future.<Void>failedFuture(e)));
  }

  private String role(Storage s) {
    return s == primary ? "primary" : "secondary";
  }

  private Future<Void> startSide(Storage s) {
    return s.start().transform(ar -> {
      if (ar.succeeded()) {
        startedSides.add(s.backend());
      } else {
        lastError = ar.cause().getMessage();
        if (!(ar.cause() instanceof StorageUnavailableException)) {
          brokenSide = ar.cause();
        }
        log.warn("dual storage: {} {} did not start: {}", role(s), s.backend(), ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (markerTimer >= 0) {
      vertx.cancelTimer(markerTimer);
    }
    Future<Integer> d = drainInProgress;
    Future<?> wait = d == null ? Future.succeededFuture() : d.recover(e -> Future.succeededFuture());
    return wait.compose(v -> Future.join(primary.close(), secondary.close(), queue.close())).mapEmpty();
  }

  @Override
  public Future<JsonObject> health() {
    return Future.join(primary.health(), secondary.health()).map(cf -> stats()
        .put("ok", dualMode() && config.fallback()
            ? ((JsonObject) cf.resultAt(0)).getBoolean("ok") || ((JsonObject) cf.resultAt(1)).getBoolean("ok")
            : ((JsonObject) cf.resultAt(active() == primary ? 0 : 1)).getBoolean("ok"))
        .put("primaryHealth", cf.resultAt(0))
        .put("secondaryHealth", cf.resultAt(1)));
  }

  /** Counters for monitoring: mode, pending repairs per target, fallbacks, failures. */
  public JsonObject stats() {
    JsonObject pending = new JsonObject();
    queue.countByTarget().forEach(pending::put);
    return new JsonObject()
        .put("backend", "dual")
        .put("mode", config.mode())
        .put("primary", primary.backend())
        .put("secondary", secondary.backend())
        .put("reads", readSide())
        .put("fallbackEnabled", config.fallback())
        .put("pendingRepairs", queue.size())
        .put("pendingByTarget", pending)
        .put("fallbackWrites", fallbackWrites.get())
        .put("fallbackReads", fallbackReads.get())
        .put("secondaryWriteFailures", secondaryFailures.get())
        .put("repaired", repaired.get())
        .put("repairFailures", repairFailures.get())
        .put("lastError", lastError);
  }

  // ------------------------------------------------------------------ the write path

  /** Copies what one successful operation changed from one side to the other. */
  private interface Replicator<R> {
    Future<Void> copy(R result, Storage from, Storage to);
  }

  private static String lockKey(String kind, String key) {
    return kind + "/" + key;
  }

  private <R> Future<R> write(String kind, String key, Function<Storage, Future<R>> op, Replicator<R> replicate) {
    return write(kind, key, Future::succeededFuture, op, replicate);
  }

  /** @param prime runs under the record's lock before a dual write, before its repair entry (see {@link #prime}) */
  private <R> Future<R> write(String kind, String key, java.util.function.Supplier<Future<Void>> prime,
      Function<Storage, Future<R>> op, Replicator<R> replicate) {
    return serial.run(lockKey(kind, key), () -> {
      Storage a = active();
      return catchUp(kind, key, a).transform(caught -> {
        if (caught.failed()) {
          if (dualMode() && config.fallback() && caught.cause() instanceof StorageUnavailableException) {
            return fallbackWrite(kind, key, op, -1, caught.cause());
          }
          return Future.failedFuture(caught.cause());
        }
        if (!dualMode()) {
          return op.apply(a);
        }
        // a primary that cannot be primed is down: the write below meets the same outage and falls back
        Future<Void> primed = prime.get().recover(e -> e instanceof StorageUnavailableException
            ? Future.succeededFuture() : Future.failedFuture(e));
        return primed.compose(p -> queue.add(kind, key, secondary.backend(), "write in progress or secondary failed"))
            .compose(intent -> op.apply(primary).transform(ar -> {
              if (ar.succeeded()) {
                R result = ar.result();
                return replicate.copy(result, primary, secondary).transform(copied -> {
                  if (copied.succeeded()) {
                    queue.done(intent);
                  } else {
                    secondaryFailures.incrementAndGet();
                    lastError = copied.cause().getMessage();
                    log.warn("dual storage: secondary {} missed {}/{} ({}); queued for repair", secondary.backend(),
                        kind, key, copied.cause().getMessage());
                  }
                  return Future.succeededFuture(result);
                });
              }
              if (config.fallback() && ar.cause() instanceof StorageUnavailableException) {
                return fallbackWrite(kind, key, op, intent, ar.cause());
              }
              queue.done(intent); // the primary refused it: nothing changed anywhere
              return Future.failedFuture(ar.cause());
            }));
      });
    });
  }

  /** Brings {@code side} up to date for this record when it still owes a repair, before it is used. */
  private Future<Void> catchUp(String kind, String key, Storage side) {
    if (!queue.hasPending(kind, key, side.backend())) {
      return Future.succeededFuture();
    }
    long[] ids = queue.idsOf(kind, key, side.backend());
    return sync(kind, key, other(side), side).onSuccess(v -> {
      queue.done(ids);
      repaired.addAndGet(ids.length);
    });
  }

  private <R> Future<R> fallbackWrite(String kind, String key, Function<Storage, Future<R>> op, long intent, Throwable why) {
    if (queue.hasPendingExcept(kind, key, secondary.backend(), intent)) {
      // The secondary is behind for this very record; writing there would build on stale data.
      if (intent >= 0) {
        queue.done(intent);
      }
      return Future.failedFuture(new StorageUnavailableException("dual storage: primary " + primary.backend()
          + " is unavailable and the secondary " + secondary.backend() + " still owes a repair of " + kind + "/"
          + key + "; retry later (" + why.getMessage() + ")", why));
    }
    return queue.add(kind, key, primary.backend(), "fallback: primary unavailable").compose(toPrimary ->
        op.apply(secondary).transform(ar -> {
          if (intent >= 0) {
            queue.done(intent); // the secondary got the write itself
          }
          if (ar.failed()) {
            queue.done(toPrimary); // nothing was written anywhere
            return Future.failedFuture(ar.cause());
          }
          long n = fallbackWrites.incrementAndGet();
          lastError = why.getMessage();
          log.warn("dual storage: primary {} unavailable ({}); wrote {}/{} to secondary {} and queued it for the "
              + "primary [fallback write #{}]", primary.backend(), why.getMessage(), kind, key, secondary.backend(), n);
          return Future.succeededFuture(ar.result());
        }));
  }

  // ------------------------------------------------------------------ the read path

  /** The side reads come from: the secondary while the migration is owed, else the active side. */
  private Storage reader() {
    return dualMode() && readSecondary ? secondary : active();
  }

  private <R> Future<R> read(String kind, String key, Function<Storage, Future<R>> op) {
    Storage a = reader();
    if (key != null ? queue.hasPending(kind, key, a.backend()) : queryMissesRecords(kind, a)) {
      fallbackReads.incrementAndGet();
      return op.apply(other(a)); // the side read still owes this record (or one the query may return) a repair
    }
    return op.apply(a).recover(e -> {
      // the secondary is read only while the primary misses old records: those are not to be read from there
      if (a == primary && dualMode() && config.fallback() && e instanceof StorageUnavailableException) {
        long n = fallbackReads.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
          log.warn("dual storage: primary {} unavailable ({}); reading from secondary {} [fallback read #{}]",
              primary.backend(), e.getMessage(), secondary.backend(), n);
        }
        return op.apply(secondary);
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * Whether a query over the kind would miss records on {@code side} that the other side has: the side owes a record
   * of the kind a repair, or a record of its parent kind (whose repair brings its children along), and the other side
   * owes none. While the migration is owed the secondary is read for queries whatever it owes: the primary misses the
   * old records.
   */
  private boolean queryMissesRecords(String kind, Storage side) {
    if (!dualMode() || readSecondary) {
      return false;
    }
    Kind<?> parent = Kinds.byName(kind).map(Kind::parent).orElse(null);
    return owesAny(kind, parent, side) && !owesAny(kind, parent, other(side));
  }

  private boolean owesAny(String kind, Kind<?> parent, Storage side) {
    return queue.hasPendingOfKind(kind, side.backend())
        || (parent != null && queue.hasPendingOfKind(parent.name(), side.backend()));
  }

  // ------------------------------------------------------------------ repair

  /** Makes {@code to} hold exactly what {@code from} holds for one record and the children it owns. */
  Future<Void> sync(String kind, String key, Storage from, Storage to) {
    Kind<?> k = Kinds.byName(kind).orElseThrow(() -> new StorageException("unknown kind in repair queue: " + kind));
    return syncFamily(k, k.upgradeKey(key), from, to); // an entry queued before an upgrade has the key's old form
  }

  /** The record first and then its children when it exists (a foreign key), its children first when it does not. */
  private static <T> Future<Void> syncFamily(Kind<T> kind, String key, Storage from, Storage to) {
    java.util.function.Supplier<Future<Void>> children = () -> {
      Future<Void> f = Future.succeededFuture();
      for (Kind<?> child : Kinds.all()) {
        if (child.parent() == kind) {
          f = f.compose(v -> syncChildren(child, key, from, to));
        }
      }
      return f;
    };
    return from.records(kind).get(key).compose(r -> r == null
        ? children.get().compose(v -> copy(kind, key, null, to))
        : copy(kind, key, r, to).compose(v -> children.get()));
  }

  /** Makes {@code to} hold {@code record} under {@code key} (none: deleted); a counter is never lowered there. */
  private static <T> Future<Void> copy(Kind<T> kind, String key, T record, Storage to) {
    return record == null ? to.records(kind).deleteAll(List.of(key)) : to.records(kind).putAll(List.of(record), !kind.growsOnly());
  }

  private static <T> Future<Void> syncChildren(Kind<T> kind, String parentKey, Storage from, Storage to) {
    Query owned = Query.all().eq(kind.parentField(), parentKey);
    return Future.all(from.records(kind).find(owned), to.records(kind).find(owned)).compose(cf -> {
      List<T> src = cf.resultAt(0);
      Set<String> keep = src.stream().map(kind::key).collect(Collectors.toSet());
      List<String> extra = cf.<List<T>>resultAt(1).stream().map(kind::key).filter(k -> !keep.contains(k)).toList();
      return to.records(kind).putAll(src, true).compose(v -> to.records(kind).deleteAll(extra));
    });
  }

  /**
   * Runs one pass over the repair queue now (or joins the pass in progress) and returns how many entries are still
   * pending. The periodic timer calls this; tests and tools may too.
   */
  public synchronized Future<Integer> drainNow() {
    if (drainInProgress != null) {
      return drainInProgress;
    }
    Promise<Integer> done = Promise.promise();
    drainInProgress = done.future();
    restartMissingSides()
        .compose(v -> drainPass(new ArrayList<>(queue.pending())))
        .onComplete(ar -> {
          synchronized (this) {
            drainInProgress = null;
          }
          done.complete(queue.size());
        });
    return done.future();
  }

  private Future<Void> restartMissingSides() {
    List<Future<Void>> starts = new ArrayList<>();
    for (Storage s : List.of(primary, secondary)) {
      if (!startedSides.contains(s.backend())) {
        starts.add(startSide(s).onComplete(ar -> {
          if (startedSides.contains(s.backend())) {
            log.info("dual storage: {} {} is back", role(s), s.backend());
          }
        }));
      }
    }
    return Future.join(new ArrayList<Future<?>>(starts)).mapEmpty();
  }

  private Future<Void> drainPass(List<RepairQueue.Entry> entries) {
    Set<String> blockedTargets = new HashSet<>();
    int[] i = {0};
    return AsyncLoop.whileTrue(() -> {
      if (i[0] >= entries.size()) {
        return Future.succeededFuture(false);
      }
      RepairQueue.Entry e = entries.get(i[0]++);
      if (Kinds.byName(e.kind()).isEmpty() && queue.isPending(e.id())) {
        // a kind no module declares any more (processed_updates, conversations): nothing reads it, nothing to repair
        log.warn("dual storage: dropping the repair of {}/{}: no such kind", e.kind(), e.key());
        queue.done(e.id());
        return Future.succeededFuture(true);
      }
      Storage to = byName(e.target());
      Storage from = to == null ? null : other(to);
      if (to == null || blockedTargets.contains(e.target()) || !queue.isPending(e.id())
          || !startedSides.contains(to.backend()) || !startedSides.contains(from.backend())) {
        return Future.succeededFuture(true);
      }
      return serial.run(lockKey(e.kind(), e.key()), () -> {
        if (!queue.isPending(e.id())) {
          return Future.<Void>succeededFuture();
        }
        long[] ids = queue.idsOf(e.kind(), e.key(), e.target());
        return sync(e.kind(), e.key(), from, to).onSuccess(v -> {
          queue.done(ids);
          repaired.addAndGet(ids.length);
        });
      }).transform(ar -> {
        if (ar.failed()) {
          repairFailures.incrementAndGet();
          lastError = ar.cause().getMessage();
          log.debug("dual storage: repair of {}/{} into {} failed: {}", e.kind(), e.key(), e.target(), ar.cause().getMessage());
          if (ar.cause() instanceof StorageUnavailableException) {
            blockedTargets.add(e.target()); // try again next pass
          }
        }
        return Future.succeededFuture(true);
      });
    });
  }

  // ------------------------------------------------------------------ atomic changes

  /**
   * Through the write path under the lock and repair entry of the first record read: the change runs on one side and
   * what it wrote is copied to the other, exactly (a counter is never lowered there).
   */
  @Override
  public <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body) {
    Tx.Ref root = reads.get(0);
    return write(root.kind().name(), root.key(), () -> primeAll(reads), s -> s.apply(reads, body),
        (done, from, to) -> copy(done.writes(), to));
  }

  /**
   * While the migration is owed, brings the records a change reads into the primary first (those it misses and the
   * secondary has), so the change builds on the old record rather than on nothing.
   */
  private Future<Void> primeAll(List<Tx.Ref> refs) {
    Future<Void> f = Future.succeededFuture();
    for (Tx.Ref r : refs) {
      f = f.compose(v -> prime(r.kind(), r.key()));
    }
    return f;
  }

  /**
   * While the migration is owed, before a dual write: when the primary misses a record the secondary has (and the
   * secondary owes it no repair, so it is current), copies it with its children into the primary. A primary that
   * does not answer fails this like the write itself, into the fallback.
   */
  private <T> Future<Void> prime(Kind<T> kind, String key) {
    if (!readSecondary || key == null || queue.hasPending(kind.name(), key, secondary.backend())) {
      return Future.succeededFuture();
    }
    return primary.records(kind).get(key).compose(have -> have != null ? Future.<Void>succeededFuture()
        : secondary.records(kind).get(key).compose(old -> old == null ? Future.<Void>succeededFuture()
            : syncFamily(kind, key, secondary, primary)));
  }

  /** While the migration is owed, the parent a child record names, in the primary before the child (its foreign key). */
  private <T> Future<Void> primeParent(Kind<T> kind, T record) {
    if (!readSecondary || kind.parent() == null) {
      return Future.succeededFuture();
    }
    Object parentKey = kind.toJson(record).getValue(kind.parentField());
    return parentKey == null ? Future.succeededFuture() : prime(kind.parent(), String.valueOf(parentKey));
  }

  private static Future<Void> copy(List<Tx.Write> writes, Storage to) {
    Future<Void> f = Future.succeededFuture();
    for (Tx.Write w : writes) {
      f = f.compose(v -> copy(w, to));
    }
    return f;
  }

  @SuppressWarnings("unchecked")
  private static <T> Future<Void> copy(Tx.Write w, Storage to) {
    return copy((Kind<T>) w.kind(), w.key(), (T) w.record(), to);
  }

  /**
   * Raw records through the dual rules: reads from the active side (with fallback), writes to the active side and
   * then the other one, with repair entries for whatever the other side missed.
   */
  @Override
  public <T> RecordStore<T> records(Kind<T> kind) {
    return new DualRecords<>(kind);
  }

  private final class DualRecords<T> extends KindStore<T> {
    DualRecords(Kind<T> kind) {
      super(kind);
    }

    @Override
    public Future<List<T>> scan(String prefix, String afterKey, int limit) {
      return read(kind.name(), null, s -> s.records(kind).scan(prefix, afterKey, limit));
    }

    /** One record through the live rules: the lock, the intent in the repair queue, the catch-up and fallback. */
    @Override
    public Future<T> get(String key) {
      return read(kind.name(), key, s -> s.records(kind).get(key));
    }

    @Override
    public Future<Void> put(T record) {
      return putAll(List.of(record), true);
    }

    @Override
    public Future<Boolean> delete(String key) {
      return write(kind.name(), key, s -> s.records(kind).delete(key), copied(key));
    }

    @Override
    public Future<List<T>> find(Query query) {
      return read(kind.name(), null, s -> s.records(kind).find(query));
    }

    @Override
    public Future<Page<T>> page(Query query, int page, int size) {
      return read(kind.name(), null, s -> s.records(kind).page(query, page, size));
    }

    @Override
    public Future<java.util.Map<String, T>> getAll(java.util.Collection<String> keys) {
      return read(kind.name(), null, s -> s.records(kind).getAll(keys));
    }

    @Override
    public Future<Long> count() {
      return read(kind.name(), null, s -> s.records(kind).count());
    }

    /** Record by record through the live write path: its lock, its repair entry, its fallback. */
    @Override
    public Future<Void> putAll(List<T> records, boolean force) {
      return Future.all(records.stream().map(r -> write(kind.name(), kind.key(r), () -> primeParent(kind, r),
          s -> s.records(kind).putAll(List.of(r), force), copied(kind.key(r)))).toList()).mapEmpty();
    }

    @Override
    public Future<Void> deleteAll(java.util.Collection<String> keys) {
      return Future.all(keys.stream().map(k -> write(kind.name(), k, s -> s.records(kind).deleteAll(List.of(k)),
          copied(k))).toList()).mapEmpty();
    }

    /** The other side gets what the written side now holds for the key. */
    private <R> Replicator<R> copied(String key) {
      return (result, from, to) -> from.records(kind).get(key).compose(r -> copy(kind, key, r, to));
    }
  }
}
