package io.splitbot.worker.storage.json;

import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.KeyRange;
import io.splitbot.worker.storage.KindStore;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.json.JsonFileCodec.Stored;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one JSON file per group of kinds under {@code DATA_DIR/storage}, held in memory.
 *
 * <ul>
 *   <li>Reads come from an immutable in-memory snapshot and never touch the disk.</li>
 *   <li>Writes run on one dedicated thread (never an event loop), grouped: every operation queued meanwhile is
 *       applied to a copy of the snapshot, the file is written to a temp file, fsynced and renamed over the old one,
 *       the directory is fsynced, and only then is the new snapshot published and the futures completed. A kill -9
 *       at any moment leaves either the old or the new file.</li>
 *   <li>A damaged file stops start-up with its name and position and is never overwritten.</li>
 *   <li>A lock file keeps a second process from writing the same directory; a read-only instance (the migration
 *       CLI's source) takes no lock and writes nothing.</li>
 * </ul>
 */
public final class JsonStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(JsonStorage.class);

  private final Vertx vertx;
  private final Path dir;
  private final boolean readOnly;
  private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private volatile Map<Kind<?>, NavigableMap<String, Stored>> state = Map.of();
  private volatile boolean started;
  private ExecutorService writer;
  private FileChannel lockChannel;
  private FileLock lock;

  public JsonStorage(Vertx vertx, Path dir, boolean readOnly) {
    this.vertx = vertx;
    this.dir = dir;
    this.readOnly = readOnly;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public String backend() {
    return "json";
  }

  @Override
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      load();
      return null;
    }, false).onSuccess(v -> started = true).mapEmpty();
  }

  private void load() throws IOException {
    try {
      loadLocked();
    } catch (IOException | RuntimeException e) {
      releaseLock();
      throw e;
    }
  }

  private void releaseLock() {
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException ignored) {
      // closing is best effort
    }
    lock = null;
    lockChannel = null;
  }

  private void loadLocked() throws IOException {
    if (!readOnly) {
      Files.createDirectories(dir);
      lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      try {
        lock = lockChannel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        lockChannel.close();
        throw new StorageException("JSON store " + dir + " is in use by another process or another storage in this one (it holds " + dir.resolve(".lock")
            + "); stop it, or open this store read-only");
      }
    }
    Map<Kind<?>, NavigableMap<String, Stored>> loaded = new HashMap<>();
    for (FileGroup g : FileGroup.values()) {
      Path file = dir.resolve(g.fileName);
      Map<Kind<?>, TreeMap<String, Stored>> data;
      if (Files.exists(file)) {
        data = JsonFileCodec.read(file, g, Files.readAllBytes(file));
      } else {
        data = new HashMap<>();
        for (Kind<?> k : g.kinds) {
          data.put(k, new TreeMap<>(JsonFileCodec.order(k)));
        }
      }
      data.forEach((k, m) -> loaded.put(k, java.util.Collections.unmodifiableNavigableMap(m)));
    }
    reportUnreadFiles();
    if (!readOnly) {
      // Leftovers of a write interrupted before its rename: the real file still holds the last good state.
      if (Files.isDirectory(dir)) {
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.json.tmp-*")) {
          for (Path t : tmp) {
            Files.deleteIfExists(t);
          }
        }
      }
      writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "splitbot-json-store");
        t.setDaemon(true);
        return t;
      });
    }
    state = loaded;
    log.info("JSON store {} loaded{}: {}", dir, readOnly ? " read-only" : "", counts(loaded));
  }

  /**
   * A file of a kind no module declares (conversations.json and processed_updates.json, left by an older worker, or
   * a module's that is not loaded) is not read, and it is left as it is: its records may still matter to the operator.
   */
  private void reportUnreadFiles() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
      for (Path f : files) {
        if (!FileGroup.isStoreFile(f.getFileName().toString())) {
          log.info("JSON store {}: {} is not read, since no record kind declared now is kept in it (a kind of an"
              + " older worker, or of a module not loaded); it is left as it is", dir, f.getFileName());
        }
      }
    }
  }

  private static String counts(Map<Kind<?>, NavigableMap<String, Stored>> s) {
    StringBuilder b = new StringBuilder();
    for (Kind<?> k : Kinds.all()) {
      b.append(b.length() == 0 ? "" : ", ").append(k.name()).append('=').append(s.get(k).size());
    }
    return b.toString();
  }

  @Override
  public Future<Void> close() {
    started = false;
    if (writer == null) {
      return Future.succeededFuture();
    }
    ExecutorService w = writer;
    return vertx.executeBlocking(() -> {
      w.shutdown();
      w.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      releaseLock();
      return null;
    }, false).mapEmpty();
  }

  @Override
  public Future<JsonObject> health() {
    return Future.succeededFuture(new JsonObject().put("backend", "json").put("ok", started).put("dir", dir.toString()));
  }

  // ------------------------------------------------------------------ reading

  @SuppressWarnings("unchecked")
  private <T> T get(Kind<T> kind, String key) {
    Stored s = state.get(kind).get(key);
    return s == null ? null : (T) s.record();
  }

  private <T> Future<T> read(java.util.function.Supplier<T> body) {
    if (!started) {
      return Future.failedFuture(new StorageUnavailableException("JSON store " + dir + " is not started"));
    }
    try {
      return Future.succeededFuture(body.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  // ------------------------------------------------------------------ writing

  /**
   * One queued operation, run on the writer thread: it reads the working copy and returns what to write, or throws
   * and writes nothing.
   */
  private interface Op<R> {
    Tx.Done<R> apply(Work work);
  }

  private record Pending<R>(FileGroup group, Op<R> op, Promise<Tx.Done<R>> promise, Context context) {
  }

  /** A working copy of the snapshot: the writes of the operations that succeeded, on top of it. */
  private final class Work {
    private final Map<Kind<?>, TreeMap<String, Stored>> copies = new HashMap<>();

    NavigableMap<String, Stored> view(Kind<?> kind) {
      TreeMap<String, Stored> m = copies.get(kind);
      return m != null ? m : state.get(kind);
    }

    @SuppressWarnings("unchecked")
    <T> T get(Kind<T> kind, String key) {
      Stored s = view(kind).get(key);
      return s == null ? null : (T) s.record();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void apply(List<Tx.Write> writes) {
      for (Tx.Write w : writes) {
        TreeMap<String, Stored> m = copies.computeIfAbsent(w.kind(), k -> new TreeMap<>(state.get(k)));
        if (w.record() == null) {
          m.remove(w.key());
        } else {
          m.put(w.key(), JsonFileCodec.stored((Kind) w.kind(), w.record()));
        }
      }
    }
  }

  private <R> Future<Tx.Done<R>> write(Kind<?> kind, Op<R> op) {
    if (readOnly) {
      return Future.failedFuture(new StorageException("JSON store " + dir + " is open read-only"));
    }
    if (!started) {
      return Future.failedFuture(new StorageUnavailableException("JSON store " + dir + " is not started"));
    }
    Promise<Tx.Done<R>> promise = Promise.promise();
    queue.add(new Pending<>(FileGroup.of(kind), op, promise, vertx.getOrCreateContext()));
    if (draining.compareAndSet(false, true)) {
      try {
        writer.execute(this::drainLoop);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        draining.set(false);
        return Future.failedFuture(new StorageUnavailableException("JSON store " + dir + " is closed"));
      }
    }
    return promise.future();
  }

  private void drainLoop() {
    while (true) {
      try {
        drainOnce();
      } catch (Throwable t) {
        log.error("JSON store writer failed unexpectedly", t);
      }
      draining.set(false);
      if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void drainOnce() {
    Map<FileGroup, List<Pending<?>>> byGroup = new LinkedHashMap<>();
    Pending<?> p;
    int n = 0;
    while (n < 10_000 && (p = queue.poll()) != null) {
      byGroup.computeIfAbsent(p.group(), g -> new ArrayList<>()).add(p);
      n++;
    }
    for (Map.Entry<FileGroup, List<Pending<?>>> e : byGroup.entrySet()) {
      applyGroup(e.getKey(), e.getValue());
    }
    if (!queue.isEmpty()) {
      drainOnce();
    }
  }

  private void applyGroup(FileGroup group, List<Pending<?>> ops) {
    Work work = new Work();
    Object[] results = new Object[ops.size()];
    Throwable[] failures = new Throwable[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      try {
        Tx.Done<?> done = ops.get(i).op().apply(work);
        work.apply(done.writes());
        results[i] = done;
      } catch (Throwable t) {
        failures[i] = t;
      }
    }
    if (!work.copies.isEmpty()) {
      Map<Kind<?>, NavigableMap<String, Stored>> next = new HashMap<>(state);
      for (Kind<?> k : group.kinds) {
        next.put(k, java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(work.view(k))));
      }
      try {
        writeAtomically(dir.resolve(group.fileName), JsonFileCodec.write(group, next));
        state = next;
      } catch (IOException | RuntimeException e) {
        log.error("JSON store could not write {}: {}", dir.resolve(group.fileName), e.toString());
        StorageUnavailableException failure = new StorageUnavailableException(
            "JSON store could not write " + dir.resolve(group.fileName) + ": " + e.getMessage()
                + "; nothing was changed", e);
        for (int i = 0; i < ops.size(); i++) {
          if (failures[i] == null) {
            failures[i] = failure;
          }
        }
      }
    }
    for (int i = 0; i < ops.size(); i++) {
      complete(ops.get(i), results[i], failures[i]);
    }
  }

  @SuppressWarnings("unchecked")
  private static <R> void complete(Pending<R> p, Object result, Throwable failure) {
    p.context().runOnContext(v -> {
      if (failure != null) {
        p.promise().fail(failure);
      } else {
        p.promise().complete((Tx.Done<R>) result);
      }
    });
  }

  /** temp file, fsync, rename over the old file, fsync the directory. */
  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + System.nanoTime());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    try (FileChannel d = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // some file systems cannot fsync a directory; the rename itself is still atomic
    }
  }

  // ------------------------------------------------------------------ atomic changes

  /** On the writer thread, against the working copy: one file write holds the whole change. */
  @Override
  public <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body) {
    Kind<?> first = reads.get(0).kind();
    return write(first, work -> {
      Map<Tx.Ref, Object> read = new HashMap<>();
      reads.forEach(r -> read.put(r, work.get(r.kind(), r.key())));
      Tx tx = new Tx(read);
      R result = body.apply(tx);
      for (Tx.Write w : tx.writes()) {
        if (FileGroup.of(w.kind()) != FileGroup.of(first)) {
          throw new IllegalStateException("one change cannot span " + FileGroup.of(first).fileName + " and "
              + FileGroup.of(w.kind()).fileName);
        }
        if (w.insert() && work.get(w.kind(), w.key()) != null) {
          throw new DuplicateKeyException(w.kind().name(), w.key());
        }
      }
      return new Tx.Done<>(result, tx.writes());
    });
  }

  // ------------------------------------------------------------------ generic records

  @Override
  public <T> RecordStore<T> records(Kind<T> kind) {
    return new JsonRecords<>(kind);
  }

  private final class JsonRecords<T> extends KindStore<T> {
    JsonRecords(Kind<T> kind) {
      super(kind);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Future<List<T>> scan(String prefix, String afterKey, int limit) {
      return read(() -> {
        KeyRange range = new KeyRange(prefix, afterKey, kind.keyOrder());
        NavigableMap<String, Stored> m = state.get(kind);
        NavigableMap<String, Stored> tail = range.start() == null ? m : m.tailMap(range.start(), range.inclusive());
        List<T> out = new ArrayList<>(Math.min(limit, 1024));
        for (Map.Entry<String, Stored> e : tail.entrySet()) {
          if (out.size() >= limit || range.ended(e.getKey())) {
            break;
          }
          out.add((T) e.getValue().record());
        }
        return out;
      });
    }

    @Override
    @SuppressWarnings("unchecked")
    public Future<List<T>> find(Query query) {
      return read(() -> query.apply(kind, state.get(kind).values().stream().map(s -> (T) s.record()).toList()));
    }

    @Override
    public Future<Map<String, T>> getAll(Collection<String> keys) {
      return read(() -> {
        Map<String, T> out = new LinkedHashMap<>();
        for (String k : keys) {
          T t = JsonStorage.this.get(kind, k);
          if (t != null) {
            out.put(k, t);
          }
        }
        return out;
      });
    }

    @Override
    public Future<Void> putAll(List<T> records, boolean force) {
      if (records.isEmpty()) {
        return Future.succeededFuture();
      }
      return write(kind, work -> {
        List<Tx.Write> writes = new ArrayList<>();
        for (T r : records) {
          T existing = work.get(kind, kind.key(r));
          boolean newer = !force && existing != null && kind.version(existing) > kind.version(r);
          if (!newer && !r.equals(existing)) {
            writes.add(new Tx.Write(kind, kind.key(r), r, false));
          }
        }
        return new Tx.Done<Void>(null, writes);
      }).mapEmpty();
    }

    @Override
    public Future<Void> deleteAll(Collection<String> keys) {
      if (keys.isEmpty()) {
        return Future.succeededFuture();
      }
      return write(kind, work -> new Tx.Done<Void>(null, keys.stream().filter(k -> work.get(kind, k) != null)
          .map(k -> new Tx.Write(kind, k, null, false)).toList())).mapEmpty();
    }

    @Override
    public Future<Long> count() {
      return read(() -> (long) state.get(kind).size());
    }
  }
}
