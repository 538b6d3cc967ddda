package io.splitbot.shared.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An append-only file written by one dedicated thread with group commit: every append waiting when the writer
 * wakes goes out in one write and one fsync, and each caller's future completes, on its own context, only after
 * that fsync. A rewrite (compaction) takes its place in the same queue, so it replaces exactly what was appended
 * before it was asked for, and appends asked for after it land in the new file.
 */
public final class GroupCommitFile {

  private record Op(byte[] bytes, boolean rewrite, Waiting waiting) {
  }

  private final Vertx vertx;
  private final Path file;
  private final ExecutorService writer;
  private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicLong fsyncs = new AtomicLong();
  private FileChannel channel;

  public GroupCommitFile(Vertx vertx, Path file, String threadName) throws IOException {
    this.vertx = vertx;
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    this.channel = open(file);
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  public Path path() {
    return file;
  }

  public long fsyncCount() {
    return fsyncs.get();
  }

  /** Appends {@code bytes}; the future completes once they are on disk. */
  public Future<Void> append(byte[] bytes) {
    return enqueue(bytes, false);
  }

  /**
   * Replaces everything appended before this call with {@code content}: temp file, fsync, atomic rename, fsync of
   * the directory. The caller's snapshot must therefore include every append it asked for before calling this.
   */
  public Future<Void> rewrite(byte[] content) {
    return enqueue(content, true);
  }

  public Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    Context context = vertx.getOrCreateContext();
    writer.execute(() -> {
      flush();
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing after a successful fsync loses nothing
      }
      context.runOnContext(v -> promise.complete());
    });
    writer.shutdown();
    return promise.future();
  }

  private Future<Void> enqueue(byte[] bytes, boolean rewrite) {
    Waiting waiting = Waiting.here(vertx);
    queue.add(new Op(bytes, rewrite, waiting));
    if (flushScheduled.compareAndSet(false, true)) {
      writer.execute(this::flush);
    }
    return waiting.promise().future();
  }

  private void flush() {
    flushScheduled.set(false);
    List<Op> batch = new ArrayList<>();
    for (Op op = queue.poll(); op != null; op = queue.poll()) {
      if (op.rewrite()) {
        commit(batch);
        batch = new ArrayList<>();
        complete(List.of(op), replace(op.bytes()));
      } else {
        batch.add(op);
      }
    }
    commit(batch);
  }

  private void commit(List<Op> batch) {
    if (batch.isEmpty()) {
      return;
    }
    Throwable failure = null;
    long before = -1;
    try {
      before = channel.size();
      ByteBuffer buffer = ByteBuffer.allocate(batch.stream().mapToInt(op -> op.bytes().length).sum());
      batch.forEach(op -> buffer.put(op.bytes()));
      buffer.flip();
      writeFully(channel, buffer);
      channel.force(false);
      fsyncs.incrementAndGet();
    } catch (IOException | RuntimeException e) {
      failure = e;
      truncateQuietly(before);
    }
    complete(batch, failure);
  }

  private Throwable replace(byte[] content) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        writeFully(out, ByteBuffer.wrap(content));
        out.force(true);
      }
      channel.close();
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(file.toAbsolutePath().getParent());
      channel = open(file);
      return null;
    } catch (IOException e) {
      try {
        if (!channel.isOpen()) {
          channel = open(file);
        }
      } catch (IOException again) {
        return again;
      }
      return e;
    }
  }

  private static void complete(List<Op> ops, Throwable failure) {
    List<Waiting> waiting = new ArrayList<>(ops.size());
    ops.forEach(op -> waiting.add(op.waiting()));
    Waiting.completeAll(waiting, failure);
  }

  /** A failed batch must not leave half a record behind for the next batch to land after. */
  private void truncateQuietly(long size) {
    if (size < 0) {
      return;
    }
    try {
      channel.truncate(size);
    } catch (IOException ignored) {
      // the reader's torn-record check still protects the next start
    }
  }

  private static FileChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Not every file system lets a directory be opened; the rename itself is still atomic.
    }
  }
}
