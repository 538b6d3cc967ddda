package io.splitbot.worker.storage.json;

import io.splitbot.worker.storage.CommentRepository;
import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.ConversationRepository;
import io.splitbot.worker.storage.CounterRepository;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.HistoryRepository;
import io.splitbot.worker.storage.KeyRange;
import io.splitbot.worker.storage.NotFoundException;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.ProcessedUpdateRepository;
import io.splitbot.worker.storage.Queries;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.RequestRepository;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.UserRepository;
import io.splitbot.worker.storage.json.JsonFileCodec.Stored;
import io.splitbot.worker.storage.model.Assignment;
import io.splitbot.worker.storage.model.Comment;
import io.splitbot.worker.storage.model.ConversationState;
import io.splitbot.worker.storage.model.DayCounter;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.ProcessedUpdate;
import io.splitbot.worker.storage.model.ServiceRequest;
import io.splitbot.worker.storage.model.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.splitbot.worker.storage.model.Values;
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
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
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

  private static String counts(Map<Kind<?>, NavigableMap<String, Stored>> s) {
    StringBuilder b = new StringBuilder();
    for (Kind<?> k : Kinds.ALL) {
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

  @SuppressWarnings("unchecked")
  private <T> List<T> all(Kind<T> kind, Predicate<T> filter) {
    List<T> out = new ArrayList<>();
    for (Stored s : state.get(kind).values()) {
      T t = (T) s.record();
      if (filter.test(t)) {
        out.add(t);
      }
    }
    return out;
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

  /** One queued operation: applied on the writer thread to a working copy. */
  private interface Op<R> {
    R apply(Tx tx);
  }

  private record Pending<R>(FileGroup group, Op<R> op, Promise<R> promise, Context context) {
  }

  /** A working copy of the snapshot with an undo log, so a failing operation leaves no trace. */
  private final class Tx {
    private final Map<Kind<?>, TreeMap<String, Stored>> copies = new HashMap<>();
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private boolean dirty;

    private TreeMap<String, Stored> map(Kind<?> kind) {
      return copies.computeIfAbsent(kind, k -> new TreeMap<>(state.get(k)));
    }

    NavigableMap<String, Stored> view(Kind<?> kind) {
      TreeMap<String, Stored> m = copies.get(kind);
      return m != null ? m : state.get(kind);
    }

    @SuppressWarnings("unchecked")
    <T> T get(Kind<T> kind, String key) {
      Stored s = view(kind).get(key);
      return s == null ? null : (T) s.record();
    }

    <T> void put(Kind<T> kind, T record) {
      TreeMap<String, Stored> m = map(kind);
      String key = kind.key(record);
      Stored previous = m.put(key, JsonFileCodec.stored(kind, record));
      undo.push(() -> {
        if (previous == null) {
          m.remove(key);
        } else {
          m.put(key, previous);
        }
      });
    }

    boolean remove(Kind<?> kind, String key) {
      if (!view(kind).containsKey(key)) {
        return false;
      }
      TreeMap<String, Stored> m = map(kind);
      Stored previous = m.remove(key);
      undo.push(() -> m.put(key, previous));
      return true;
    }

    void beginOp() {
      undo.clear();
    }

    /** The operation succeeded: what it changed is kept and the file must be written. */
    void commitOp() {
      dirty |= !undo.isEmpty();
      undo.clear();
    }

    void rollbackOp() {
      while (!undo.isEmpty()) {
        undo.pop().run();
      }
    }
  }

  private <R> Future<R> write(Kind<?> kind, Op<R> op) {
    if (readOnly) {
      return Future.failedFuture(new StorageException("JSON store " + dir + " is open read-only"));
    }
    if (!started) {
      return Future.failedFuture(new StorageUnavailableException("JSON store " + dir + " is not started"));
    }
    Promise<R> promise = Promise.promise();
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
    Tx tx = new Tx();
    Object[] results = new Object[ops.size()];
    Throwable[] failures = new Throwable[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      tx.beginOp();
      try {
        results[i] = ops.get(i).op().apply(tx);
        tx.commitOp();
      } catch (Throwable t) {
        tx.rollbackOp();
        failures[i] = t;
      }
    }
    if (tx.dirty) {
      Map<Kind<?>, NavigableMap<String, Stored>> next = new HashMap<>(state);
      for (Kind<?> k : group.kinds) {
        next.put(k, java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(tx.view(k))));
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
        p.promise().complete((R) result);
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

  // ------------------------------------------------------------------ repositories

  private final UserRepository users = new UserRepository() {
    @Override
    public Future<UserProfile> upsert(UserProfile profile) {
      return write(Kinds.USERS, tx -> {
        UserProfile existing = tx.get(Kinds.USERS, Long.toString(profile.userId()));
        UserProfile stored = existing == null ? profile : new UserProfile(profile.userId(), profile.firstName(),
            profile.lastName(), profile.username(), profile.languageCode(), profile.profileSource(),
            profile.profileLastUpdated(), existing.createdAt());
        tx.put(Kinds.USERS, stored);
        return stored;
      });
    }

    @Override
    public Future<Optional<UserProfile>> find(long userId) {
      return read(() -> Optional.ofNullable(get(Kinds.USERS, Long.toString(userId))));
    }

    @Override
    public Future<Page<UserProfile>> list(int page, int size) {
      return read(() -> Page.slice(all(Kinds.USERS, u -> true), page, size));
    }
  };

  private final RequestRepository requests = new RequestRepository() {
    @Override
    public Future<ServiceRequest> create(ServiceRequest r) {
      return write(Kinds.REQUESTS, tx -> {
        if (tx.get(Kinds.REQUESTS, r.number()) != null) {
          throw new DuplicateKeyException("request", r.number());
        }
        tx.put(Kinds.REQUESTS, r);
        tx.put(Kinds.STATUS_HISTORY, StatusChange.create(r.number(), null, r.status(), r.requesterId(), r.createdAt()));
        return r;
      });
    }

    @Override
    public Future<Optional<ServiceRequest>> find(String number) {
      return read(() -> Optional.ofNullable(get(Kinds.REQUESTS, number)));
    }

    @Override
    public Future<ServiceRequest> update(ServiceRequest changes) {
      return write(Kinds.REQUESTS, tx -> {
        ServiceRequest existing = existing(tx, changes.number());
        ServiceRequest updated = Queries.applyEdit(existing, changes);
        tx.put(Kinds.REQUESTS, updated);
        return updated;
      });
    }

    @Override
    public Future<ServiceRequest> changeStatus(String number, String expectedFrom, String to, long changedBy) {
      try {
        ServiceRequest.checkStatus(to);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return write(Kinds.REQUESTS, tx -> {
        ServiceRequest existing = existing(tx, number);
        if (!existing.status().equals(expectedFrom)) {
          throw new ConflictException("request " + number + " is " + existing.status() + ", not " + expectedFrom);
        }
        ServiceRequest updated = existing.withStatus(to, Queries.bump(existing.updatedAt()));
        tx.put(Kinds.REQUESTS, updated);
        tx.put(Kinds.STATUS_HISTORY, StatusChange.create(number, expectedFrom, to, changedBy, updated.updatedAt()));
        return updated;
      });
    }

    @Override
    public Future<ServiceRequest> assign(String number, long executorId, long assignedBy) {
      return write(Kinds.REQUESTS, tx -> {
        ServiceRequest existing = existing(tx, number);
        ServiceRequest updated = existing.withExecutor(executorId, Queries.bump(existing.updatedAt()));
        tx.put(Kinds.REQUESTS, updated);
        tx.put(Kinds.ASSIGNMENTS, Assignment.create(number, executorId, assignedBy, updated.updatedAt()));
        return updated;
      });
    }

    @Override
    public Future<Page<ServiceRequest>> search(String text, String status, int page, int size) {
      String t = Queries.normaliseText(text);
      String s = Queries.normaliseStatus(status);
      return read(() -> newest(r -> Queries.matches(r, t, s), page, size));
    }

    @Override
    public Future<Page<ServiceRequest>> listByRequester(long requesterId, int page, int size) {
      return read(() -> newest(r -> r.requesterId() == requesterId, page, size));
    }

    @Override
    public Future<Page<ServiceRequest>> listByExecutor(long executorId, int page, int size) {
      return read(() -> newest(r -> r.executorId() != null && r.executorId() == executorId, page, size));
    }

    private Page<ServiceRequest> newest(Predicate<ServiceRequest> filter, int page, int size) {
      Page.checkPaging(page, size);
      List<ServiceRequest> found = all(Kinds.REQUESTS, filter);
      found.sort(Queries.NEWEST_FIRST);
      return Page.slice(found, page, size);
    }
  };

  private static ServiceRequest existing(Tx tx, String number) {
    ServiceRequest r = tx.get(Kinds.REQUESTS, number);
    if (r == null) {
      throw new NotFoundException("request", number);
    }
    return r;
  }

  private final CommentRepository comments = new CommentRepository() {
    @Override
    public Future<Comment> add(Comment c) {
      return write(Kinds.COMMENTS, tx -> {
        existing(tx, c.requestNumber());
        Comment already = tx.get(Kinds.COMMENTS, c.id());
        if (already != null) {
          return already;
        }
        tx.put(Kinds.COMMENTS, c);
        return c;
      });
    }

    @Override
    public Future<List<Comment>> list(String requestNumber) {
      return read(() -> {
        List<Comment> out = all(Kinds.COMMENTS, c -> c.requestNumber().equals(requestNumber));
        out.sort(java.util.Comparator.comparing(Comment::createdAt).thenComparing(Comment::id));
        return out;
      });
    }
  };

  private final HistoryRepository history = new HistoryRepository() {
    @Override
    public Future<List<StatusChange>> statusHistory(String requestNumber) {
      return read(() -> {
        List<StatusChange> out = all(Kinds.STATUS_HISTORY, c -> c.requestNumber().equals(requestNumber));
        out.sort(java.util.Comparator.comparing(StatusChange::changedAt).thenComparing(StatusChange::id));
        return out;
      });
    }

    @Override
    public Future<List<Assignment>> assignments(String requestNumber) {
      return read(() -> {
        List<Assignment> out = all(Kinds.ASSIGNMENTS, a -> a.requestNumber().equals(requestNumber));
        out.sort(java.util.Comparator.comparing(Assignment::assignedAt).thenComparing(Assignment::id));
        return out;
      });
    }
  };

  private final ConversationRepository conversations = new ConversationRepository() {
    @Override
    public Future<Optional<ConversationState>> get(String key) {
      return read(() -> Optional.ofNullable(JsonStorage.this.get(Kinds.CONVERSATIONS, key)));
    }

    @Override
    public Future<ConversationState> put(ConversationState s) {
      return write(Kinds.CONVERSATIONS, tx -> {
        ConversationState previous = tx.get(Kinds.CONVERSATIONS, s.key());
        ConversationState stored = new ConversationState(s.key(), s.step(), s.dataJson(),
            Queries.bump(previous == null ? null : previous.updatedAt()));
        tx.put(Kinds.CONVERSATIONS, stored);
        return stored;
      });
    }

    @Override
    public Future<Boolean> delete(String key) {
      return write(Kinds.CONVERSATIONS, tx -> tx.remove(Kinds.CONVERSATIONS, key));
    }
  };

  private final CounterRepository counters = new CounterRepository() {
    @Override
    public Future<Long> nextCounter(String yymmdd) {
      return write(Kinds.COUNTERS, tx -> {
        DayCounter c = tx.get(Kinds.COUNTERS, yymmdd);
        DayCounter next = new DayCounter(yymmdd, (c == null ? 0 : c.value()) + 1);
        tx.put(Kinds.COUNTERS, next);
        return next.value();
      });
    }

    @Override
    public Future<Void> raiseTo(String yymmdd, long value) {
      return write(Kinds.COUNTERS, tx -> {
        DayCounter c = tx.get(Kinds.COUNTERS, yymmdd);
        if (c == null || c.value() < value) {
          tx.put(Kinds.COUNTERS, new DayCounter(yymmdd, value));
        }
        return null;
      });
    }

    @Override
    public Future<Long> current(String yymmdd) {
      return read(() -> {
        DayCounter c = get(Kinds.COUNTERS, new DayCounter(yymmdd, 0).day());
        return c == null ? 0L : c.value();
      });
    }
  };

  private final ProcessedUpdateRepository processed = new ProcessedUpdateRepository() {
    @Override
    public Future<Boolean> markHandled(long updateId) {
      return write(Kinds.PROCESSED_UPDATES, tx -> {
        if (tx.get(Kinds.PROCESSED_UPDATES, Long.toString(updateId)) != null) {
          return false;
        }
        tx.put(Kinds.PROCESSED_UPDATES, new ProcessedUpdate(updateId, null));
        return true;
      });
    }

    @Override
    public Future<Boolean> isHandled(long updateId) {
      return read(() -> get(Kinds.PROCESSED_UPDATES, Long.toString(updateId)) != null);
    }

    @Override
    public Future<Long> purgeHandledBefore(Instant cutoff) {
      return write(Kinds.PROCESSED_UPDATES, tx -> {
        List<String> old = new ArrayList<>();
        for (Stored s : tx.view(Kinds.PROCESSED_UPDATES).values()) {
          ProcessedUpdate p = (ProcessedUpdate) s.record();
          if (p.handledAt().isBefore(cutoff)) {
            old.add(Long.toString(p.updateId()));
          }
        }
        old.forEach(k -> tx.remove(Kinds.PROCESSED_UPDATES, k));
        return (long) old.size();
      });
    }
  };

  @Override
  public UserRepository users() {
    return users;
  }

  @Override
  public RequestRepository requests() {
    return requests;
  }

  @Override
  public CommentRepository comments() {
    return comments;
  }

  @Override
  public HistoryRepository history() {
    return history;
  }

  @Override
  public ConversationRepository conversations() {
    return conversations;
  }

  @Override
  public CounterRepository counters() {
    return counters;
  }

  @Override
  public ProcessedUpdateRepository processedUpdates() {
    return processed;
  }

  // ------------------------------------------------------------------ generic records

  private final Map<Kind<?>, RecordStore<?>> stores = new HashMap<>();

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <T> RecordStore<T> records(Kind<T> kind) {
    return (RecordStore<T>) stores.computeIfAbsent(kind, k -> new JsonRecords<>(kind));
  }

  private final class JsonRecords<T> implements RecordStore<T> {
    private final Kind<T> kind;

    JsonRecords(Kind<T> kind) {
      this.kind = kind;
    }

    @Override
    public Kind<T> kind() {
      return kind;
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
      return write(kind, tx -> {
        for (T r : records) {
          T existing = tx.get(kind, kind.key(r));
          if (!force && existing != null && kind.version(existing) > kind.version(r)) {
            continue;
          }
          if (existing == null || !existing.equals(r)) {
            tx.put(kind, r);
          }
        }
        return null;
      });
    }

    @Override
    public Future<Void> deleteAll(Collection<String> keys) {
      if (keys.isEmpty()) {
        return Future.succeededFuture();
      }
      return write(kind, tx -> {
        keys.forEach(k -> tx.remove(kind, k));
        return null;
      });
    }

    @Override
    public Future<Long> count() {
      return read(() -> (long) state.get(kind).size());
    }
  }
}
