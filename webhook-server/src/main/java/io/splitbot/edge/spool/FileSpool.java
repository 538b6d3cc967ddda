package io.splitbot.edge.spool;

import io.splitbot.shared.store.Waiting;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default spool: an append-only journal, {@code journal.log} in its directory, in the format of
 * {@link JournalRecord}.
 *
 * <p><b>Group commit.</b> Appends and removes are queued in call order. One dedicated writer thread (never an event
 * loop) takes everything queued, writes it with one gathering write (each append's body is the buffer it arrived
 * in, see {@link JournalRecord}) and one {@code force}, then completes every append of that batch on its caller's
 * context, one task per event loop. While it waits for the disk, the next batch collects, so many concurrent
 * appends share one fsync. An append succeeds only after its batch is forced. A batch that holds only REMOVE
 * records is written but not forced (losing a remove only causes a resend, and the worker deduplicates); the next
 * append batch, or an idle flush a second later, forces it.
 *
 * <p><b>Feed.</b> One edge's disk: everything in it is this edge's to forward. {@link #open} feeds what the journal
 * holds from before, in delivery order, and each append feeds its update once durable (STORED, and ALREADY_SPOOLED
 * too, so a redelivery of an update whose first append timed out still reaches the forwarder), on the opener's
 * context and without a hop when the append came from there.
 *
 * <p>A {@code lock} file in the directory is held while the spool is open, so a second spool on the same directory
 * fails to open instead of interleaving records.
 *
 * <p><b>Index.</b> Held update keys live in memory, bounded by {@code maxUpdates}: a repeated key answers
 * ALREADY_SPOOLED without writing (once the first copy is durable), a full spool fails with
 * {@link SpoolFullException} without writing.
 *
 * <p><b>Failures.</b> If a write or force fails (disk full, I/O error), every future of that batch fails and the
 * file is truncated back to the end of the last good batch, so the spool works again once the disk recovers.
 * REMOVEs of a failed batch are retried with the next one.
 *
 * <p><b>Damaged journal at open.</b> A torn last record (crash mid-write) is dropped with a WARN and the file is
 * truncated to the last good record. A bad record followed by good ones is skipped with an ERROR naming file and
 * offset, reading resumes at the next good record, the damaged file is kept as {@code journal.log.damaged-<millis>}
 * and the journal is rewritten clean. See {@link JournalReader}.
 *
 * <p><b>Compaction.</b> When dead bytes (appended then removed) exceed both {@code compactDeadBytes} (4 MiB) and
 * twice the live bytes, the writer thread rewrites the live records into a temporary file, forces it, renames it
 * over the journal and fsyncs the directory, between two batches: appends arriving meanwhile wait in the queue and
 * go into the new file.
 */
public final class FileSpool implements Spool {

  static final String JOURNAL = "journal.log";
  static final String LOCK = "lock";
  static final long DEFAULT_COMPACT_DEAD_BYTES = 4L * 1024 * 1024;
  private static final long IDLE_FORCE_MS = 1000;
  private static final Logger log = LoggerFactory.getLogger(FileSpool.class);

  private enum State { NEW, OPENING, OPEN, CLOSED }

  /**
   * A queued change; it completes on its caller's context once it is written (and forced, for appends), with one
   * task per event loop for the whole batch ({@link Waiting}).
   */
  private record Op(JournalRecord record, Waiting waiting) {
    Promise<Void> done() {
      return waiting.promise();
    }
  }

  private final Vertx vertx;
  private final Path dir;
  private final Path file;
  private final int maxUpdates;
  private final long compactDeadBytes;
  private final ScheduledThreadPoolExecutor writer;
  private final AtomicLong fsyncs = new AtomicLong();

  // Guarded by lock: what callers see, and the writer's queue, changed together so both keep call order.
  private final Object lock = new Object();
  private final Map<String, Future<Void>> held = new HashMap<>();
  private List<Op> queued = new ArrayList<>();
  private boolean flushScheduled;
  private State state = State.NEW;
  private SpoolFeed feed;
  private Context feedContext;

  // Writer thread only: the journal as it is on disk.
  private FileChannel channel;
  private FileChannel lockChannel;
  private long end;
  private final Map<String, JournalRecord> live = new HashMap<>();
  private long liveBytes;
  private final Set<String> retryRemoves = new LinkedHashSet<>();
  private boolean unforced;
  private boolean idleForceScheduled;
  private boolean truncateBeforeWrite;
  /** The last batch failed to write: appends fail until one succeeds. Written by the writer thread only. */
  private volatile boolean writeFailing;
  private long compactRetryDeadBytes;

  public FileSpool(Vertx vertx, Path dir, int maxUpdates) {
    this(vertx, dir, maxUpdates, DEFAULT_COMPACT_DEAD_BYTES);
  }

  /** @param compactDeadBytes dead bytes that make compaction worth it (tests use a small value). */
  FileSpool(Vertx vertx, Path dir, int maxUpdates, long compactDeadBytes) {
    if (maxUpdates < 1) {
      throw new IllegalArgumentException("maxUpdates must be at least 1");
    }
    this.vertx = vertx;
    this.dir = dir;
    this.file = dir.resolve(JOURNAL);
    this.maxUpdates = maxUpdates;
    this.compactDeadBytes = compactDeadBytes;
    this.writer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread thread = new Thread(r, "splitbot-spool-writer");
      thread.setDaemon(true);
      return thread;
    });
    writer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Future<Void> open(SpoolFeed feed) {
    synchronized (lock) {
      if (state != State.NEW) {
        return Future.failedFuture(new IllegalStateException("spool " + file + " is already " + state.name().toLowerCase()));
      }
      state = State.OPENING;
    }
    Context caller = vertx.getOrCreateContext();
    this.feed = feed;
    this.feedContext = caller;
    Promise<List<UpdateEnvelope>> opened = Promise.promise();
    writer.execute(() -> {
      try {
        completeOn(caller, opened, Future.succeededFuture(openJournal()));
      } catch (IOException | RuntimeException e) {
        release();
        synchronized (lock) {
          if (state == State.OPENING) {
            state = State.NEW;
          }
        }
        completeOn(caller, opened, Future.failedFuture(new IOException("cannot open spool journal " + file + ": " + e.getMessage(), e)));
      }
    });
    return opened.future().map(held -> {
      held.forEach(update -> feed.submit(update, null));
      return null;
    });
  }

  @Override
  public Future<Appended> append(UpdateEnvelope update) {
    JournalRecord record;
    try {
      record = JournalRecord.append(update);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Future<Void> written;
    synchronized (lock) {
      if (state != State.OPEN) {
        return Future.failedFuture(new IllegalStateException("spool " + file + " is " + state.name().toLowerCase()));
      }
      Future<Void> durable = held.get(update.key());
      if (durable != null) {
        // Answer only once the first copy is durable: a redelivery must not be acked ahead of the original.
        return onCallerContext(durable).map(v -> {
          feed(update);
          return Appended.ALREADY_SPOOLED;
        });
      }
      if (held.size() >= maxUpdates) {
        return Future.failedFuture(new SpoolFullException(maxUpdates));
      }
      Waiting waiting = Waiting.here(vertx);
      written = waiting.promise().future();
      held.put(update.key(), written);
      enqueue(new Op(record, waiting));
    }
    return written.map(v -> {
      feed(update);
      return Appended.STORED;
    });
  }

  private void feed(UpdateEnvelope update) {
    if (Vertx.currentContext() == feedContext) {
      feed.submit(update, null);
    } else {
      feedContext.runOnContext(v -> feed.submit(update, null));
    }
  }

  @Override
  public Future<Void> remove(UpdateEnvelope update) {
    String updateKey = update.key();
    Waiting waiting = Waiting.here(vertx);
    synchronized (lock) {
      if (state != State.OPEN) {
        return Future.failedFuture(new IllegalStateException("spool " + file + " is " + state.name().toLowerCase()));
      }
      if (held.remove(updateKey) == null) {
        return Future.succeededFuture();
      }
      enqueue(new Op(JournalRecord.remove(updateKey), waiting));
    }
    return waiting.promise().future();
  }

  @Override
  public int size() {
    synchronized (lock) {
      return held.size();
    }
  }

  @Override
  public Future<Boolean> holds(UpdateEnvelope update) {
    synchronized (lock) {
      return Future.succeededFuture(held.containsKey(update.key()));
    }
  }

  /** Open, the last write succeeded, and its folder takes writes; checked on the writer thread, after queued writes. */
  @Override
  public Future<Void> probe() {
    synchronized (lock) {
      if (state != State.OPEN) {
        return Future.failedFuture(new IllegalStateException("the spool journal is " + state.name().toLowerCase()));
      }
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Void> checked = Promise.promise();
    writer.execute(() -> completeOn(caller, checked, writeFailing
        ? Future.failedFuture(new IOException("the last write to the spool journal failed"))
        : !channel.isOpen() || !Files.isWritable(dir)
            ? Future.failedFuture(new IOException("the spool journal's folder does not take writes"))
            : Future.succeededFuture()));
    return checked.future();
  }

  /** How many times the journal was forced to disk: far fewer than appends under concurrent load. */
  public long fsyncCount() {
    return fsyncs.get();
  }

  /** Tests only: holds the writer thread until {@code resume} opens, so a burst queues up deterministically. */
  void pauseWriter(CountDownLatch resume) {
    writer.execute(() -> {
      try {
        resume.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  @Override
  public Future<Void> close() {
    boolean wasOpen;
    synchronized (lock) {
      if (state == State.CLOSED) {
        return Future.succeededFuture();
      }
      wasOpen = state != State.NEW;
      state = State.CLOSED;
    }
    Context caller = vertx.getOrCreateContext();
    Promise<Void> closed = Promise.promise();
    // Runs after every flush already scheduled: nothing can be queued once the state is CLOSED.
    writer.execute(() -> {
      Future<Void> outcome = Future.succeededFuture();
      try {
        if (wasOpen) {
          flush();
          if (unforced) {
            force();
          }
        }
      } catch (IOException | RuntimeException e) {
        outcome = Future.failedFuture(new IOException("closing spool journal " + file + ": " + e.getMessage(), e));
      } finally {
        release();
        writer.shutdown();
      }
      completeOn(caller, closed, outcome);
    });
    return closed.future();
  }

  // ---- writer thread ----

  private List<UpdateEnvelope> openJournal() throws IOException {
    Files.createDirectories(dir);
    lockDirectory();
    live.clear();
    liveBytes = 0;
    boolean created = !Files.exists(file);
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (created) {
      syncDirectory();
    }
    JournalReader.Replay replay = JournalReader.replay(file, channel);
    end = replay.validEnd();
    for (JournalRecord record : replay.live().values()) {
      live.put(record.key(), record);
      liveBytes += record.size();
    }
    if (replay.damagedMiddle()) {
      Path copy = dir.resolve(JOURNAL + ".damaged-" + System.currentTimeMillis());
      Files.copy(file, copy);
      log.error("spool journal {}: kept the damaged file as {} and rewriting the journal from the good records", file, copy);
      if (!compact() && replay.validEnd() < replay.fileSize()) {
        channel.truncate(end);
        force();
      }
    } else if (replay.validEnd() < replay.fileSize()) {
      channel.truncate(end);
      force();
    }
    List<UpdateEnvelope> envelopes = live.values().stream()
        .sorted(Comparator.comparing(JournalRecord::envelope, UpdateEnvelope.ORDER))
        .map(JournalRecord::envelope)
        .toList();
    synchronized (lock) {
      Future<Void> durable = Future.succeededFuture();
      for (UpdateEnvelope envelope : envelopes) {
        held.put(envelope.key(), durable);
      }
      if (state == State.OPENING) {
        state = State.OPEN;
      }
    }
    log.info("spool journal {} opened: {} updates held, {} bytes", file, envelopes.size(), end);
    return envelopes;
  }

  /** Called with the lock held. */
  private void enqueue(Op op) {
    queued.add(op);
    if (!flushScheduled) {
      flushScheduled = true;
      writer.execute(this::flushSafely);
    }
  }

  private void flushSafely() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.error("spool writer failed unexpectedly", e);
    }
  }

  /** Writes everything queued as one batch; forced once when it holds an append. Then compacts if due. */
  private void flush() {
    List<Op> batch;
    synchronized (lock) {
      batch = queued;
      queued = new ArrayList<>();
      flushScheduled = false;
    }
    if (batch.isEmpty() && retryRemoves.isEmpty()) {
      return;
    }
    List<JournalRecord> records = new ArrayList<>(retryRemoves.size() + batch.size());
    retryRemoves.forEach(id -> records.add(JournalRecord.remove(id)));
    boolean hasAppend = false;
    for (Op op : batch) {
      records.add(op.record());
      hasAppend |= op.record().type() == JournalRecord.APPEND;
    }
    try {
      long newEnd = write(records);
      if (hasAppend) {
        force();
      } else {
        unforced = true;
        scheduleIdleForce();
      }
      end = newEnd;
    } catch (IOException | RuntimeException e) {
      failBatch(batch, e);
      return;
    }
    writeFailing = false;
    retryRemoves.clear();
    for (JournalRecord record : records) {
      track(record);
    }
    completeOnCallers(batch, null);
    maybeCompact();
  }

  /** Writes after the last good batch and returns the new end; {@code end} moves only once the batch is good. */
  private long write(List<JournalRecord> records) throws IOException {
    if (truncateBeforeWrite) {
      // A failed batch may have left part of itself behind; cut it off before anything follows it.
      channel.truncate(end);
      truncateBeforeWrite = false;
    }
    List<ByteBuffer> pieces = new ArrayList<>(records.size() * 2);
    long total = 0;
    for (JournalRecord record : records) {
      record.writeTo(pieces);
      total += record.size();
    }
    return end + writeAt(channel, pieces.toArray(ByteBuffer[]::new), end, total);
  }

  private void failBatch(List<Op> batch, Throwable cause) {
    // end only moves after a whole batch is written and forced, so it still marks the last good batch.
    try {
      channel.truncate(end);
    } catch (IOException | RuntimeException e) {
      truncateBeforeWrite = true;
    }
    writeFailing = true;
    IOException failure = new IOException("spool journal " + file + " write failed: " + cause.getMessage(), cause);
    log.warn("spool journal {}: writing {} records failed ({}); their appends are refused until the disk recovers",
        file, batch.size(), cause.toString());
    synchronized (lock) {
      for (Op op : batch) {
        if (op.record().type() == JournalRecord.APPEND) {
          held.remove(op.record().key(), op.done().future());
        }
      }
    }
    for (Op op : batch) {
      if (op.record().type() == JournalRecord.REMOVE) {
        retryRemoves.add(op.record().key());
      }
    }
    completeOnCallers(batch, failure);
  }

  private void track(JournalRecord record) {
    JournalRecord previous = record.type() == JournalRecord.APPEND
        ? live.put(record.key(), record)
        : live.remove(record.key());
    if (previous != null) {
      liveBytes -= previous.size();
    }
    if (record.type() == JournalRecord.APPEND) {
      liveBytes += record.size();
    }
  }

  private void force() throws IOException {
    channel.force(false);
    fsyncs.incrementAndGet();
    unforced = false;
  }

  private void scheduleIdleForce() {
    if (idleForceScheduled) {
      return;
    }
    idleForceScheduled = true;
    writer.schedule(() -> {
      idleForceScheduled = false;
      if (unforced && channel != null && channel.isOpen()) {
        try {
          force();
        } catch (IOException e) {
          log.warn("spool journal {}: idle flush failed: {}", file, e.toString());
        }
      }
    }, IDLE_FORCE_MS, TimeUnit.MILLISECONDS);
  }

  private void maybeCompact() {
    long dead = end - liveBytes;
    if (dead >= compactDeadBytes && dead > 2 * liveBytes && dead >= compactRetryDeadBytes) {
      compact();
    }
  }

  /** Rewrites the live records into a fresh file that atomically replaces the journal; false if it failed. */
  private boolean compact() {
    Path tmp = dir.resolve(JOURNAL + ".compact");
    long before = end;
    FileChannel next = null;
    long size = 0;
    try {
      next = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      List<JournalRecord> records = live.values().stream()
          .sorted(Comparator.comparing(JournalRecord::envelope, UpdateEnvelope.ORDER))
          .toList();
      List<ByteBuffer> pieces = new ArrayList<>(records.size() * 2);
      for (JournalRecord record : records) {
        record.writeTo(pieces);
        size += record.size();
      }
      writeAt(next, pieces.toArray(ByteBuffer[]::new), 0, size);
      next.force(false);
      fsyncs.incrementAndGet();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      if (next != null) {
        try {
          next.close();
        } catch (IOException ignored) {
          // the temporary file is deleted below
        }
      }
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // a stale temporary file is truncated by the next attempt
      }
      compactRetryDeadBytes = (end - liveBytes) + compactDeadBytes;
      log.warn("spool journal {}: compaction failed, keeping the current file: {}", file, e.toString());
      return false;
    }
    // The new file is complete and forced; make the rename durable before anything is acked in it.
    syncDirectory();
    closeQuietly();
    channel = next;
    end = size;
    liveBytes = size;
    unforced = false;
    truncateBeforeWrite = false;
    compactRetryDeadBytes = 0;
    log.info("spool journal {} compacted: {} -> {} bytes, {} updates held", file, before, size, live.size());
    return true;
  }

  /** One gathering write of {@code pieces} ({@code total} bytes) at {@code at}; returns {@code total}. */
  private static long writeAt(FileChannel target, ByteBuffer[] pieces, long at, long total) throws IOException {
    target.position(at);
    long written = 0;
    int first = 0;
    while (written < total) {
      written += target.write(pieces, first, pieces.length - first);
      while (first < pieces.length && !pieces[first].hasRemaining()) {
        first++;
      }
    }
    return total;
  }

  private void syncDirectory() {
    // Makes a created or renamed journal survive a crash; not supported on every platform (e.g. Windows).
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException | RuntimeException e) {
      log.warn("spool directory {} could not be synced: {}", dir, e.toString());
    }
  }

  /** Two writers would interleave records: refuse to open a directory another spool holds. */
  private void lockDirectory() throws IOException {
    lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException("another spool (this process or another one) already uses " + dir);
    }
  }

  private void closeQuietly() {
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      log.warn("spool journal {}: close failed: {}", file, e.toString());
    }
    channel = null;
  }

  private void release() {
    closeQuietly();
    try {
      if (lockChannel != null) {
        lockChannel.close(); // releases the lock
      }
    } catch (IOException e) {
      log.warn("spool lock in {}: close failed: {}", dir, e.toString());
    }
    lockChannel = null;
  }

  // ---- back to the caller ----

  private <T> Future<T> onCallerContext(Future<T> future) {
    if (future.isComplete()) {
      return future;
    }
    Context caller = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> completeOn(caller, promise, result));
    return promise.future();
  }

  private static void completeOnCallers(List<Op> batch, Throwable failure) {
    List<Waiting> waiting = new ArrayList<>(batch.size());
    batch.forEach(op -> waiting.add(op.waiting()));
    Waiting.completeAll(waiting, failure);
  }

  private static <T> void completeOn(Context context, Promise<T> promise, AsyncResult<T> result) {
    context.runOnContext(v -> promise.handle(result));
  }
}
