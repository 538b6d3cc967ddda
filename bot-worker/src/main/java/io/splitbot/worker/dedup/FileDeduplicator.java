package io.splitbot.worker.dedup;

import io.splitbot.shared.store.GroupCommitFile;
import io.splitbot.worker.dedup.DedupFile.Mark;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded dedup store: {@link HandledIds} in memory, whose size follows the gaps in the update_ids rather than
 * the traffic, and {@code DATA_DIR/dedup.bin} ({@link DedupFile}) on disk: a snapshot of that state followed by one
 * 16-byte mark per handled update, appended with group commit. Once the marks outgrow the snapshot the file is
 * rewritten as a fresh snapshot (temp file, fsync, rename), so it stays small and loads fast; at start the snapshot
 * is read and the marks after it replayed. A mark reaches memory only once it is on disk, so what the file holds and
 * what is answered never differ; until then the pipeline's in-flight map holds the update. Runs on one event loop.
 *
 * <p>Keys that are not bare numbers (every platform but Telegram: {@code max:mid.…}) have no sequence to compress;
 * they go to {@link KeyedMarks} in {@code dedup-keys.log}.
 */
public final class FileDeduplicator implements Deduplicator {
  private static final Logger log = LoggerFactory.getLogger(FileDeduplicator.class);
  /** Marks appended past the snapshot (1 MiB of them, or as many as the snapshot's size) before a rewrite. */
  private static final int COMPACT_MARKS = 65_536;

  private final GroupCommitFile file;
  private final HandledIds ids;
  private final KeyedMarks keyed;
  private final LongSupplier clock;
  /** Marks appended and not yet on disk, in order; a snapshot taken meanwhile carries them. */
  private final ArrayDeque<Mark> pending = new ArrayDeque<>();
  private long lastNow;
  private long marksPastSnapshot;
  private long snapshotMarks;
  private boolean compacting;

  private FileDeduplicator(GroupCommitFile file, DedupFile.Loaded loaded, KeyedMarks keyed, LongSupplier clock) {
    this.file = file;
    this.keyed = keyed;
    this.ids = loaded.ids();
    this.clock = clock;
    // Marks logged before a restart stay ahead of this run's, even if the wall clock went back meanwhile.
    this.lastNow = ids.latest();
    this.marksPastSnapshot = loaded.marks();
    this.snapshotMarks = loaded.snapshotBytes() / DedupFile.MARK;
  }

  /** Opens (or creates) {@code dir/dedup.bin} and loads the window it holds. */
  public static Future<FileDeduplicator> open(Vertx vertx, Path dir, long ttlSeconds) {
    return open(vertx, dir, ttlSeconds, () -> System.currentTimeMillis() / 1000);
  }

  /** @param clock the epoch second now; tests pass their own. */
  static Future<FileDeduplicator> open(Vertx vertx, Path dir, long ttlSeconds, LongSupplier clock) {
    return KeyedMarks.open(vertx, dir, ttlSeconds, clock.getAsLong()).compose(keyed -> vertx.executeBlocking(() -> {
      Path path = dir.resolve("dedup.bin");
      byte[] bytes = Files.exists(path) ? Files.readAllBytes(path) : new byte[0];
      DedupFile.Loaded loaded = DedupFile.read(bytes, ttlSeconds, path);
      if (loaded.tornBytes() > 0) {
        log.warn("{}: dropping a torn last record of {} bytes at offset {} (crash while writing)", path,
            loaded.tornBytes(), bytes.length - loaded.tornBytes());
        // Cut it off, or the next mark would be appended behind it and every record after would be misread.
        truncate(path, bytes.length - loaded.tornBytes());
      }
      return new FileDeduplicator(new GroupCommitFile(vertx, path, "splitbot-dedup-writer"), loaded, keyed, clock);
    }));
  }

  @Override
  public Future<Boolean> isHandled(String updateKey) {
    long id = sequenceNumber(updateKey);
    return Future.succeededFuture(id < 0 ? keyed.isHandled(updateKey, now()) : ids.isHandled(id, now()));
  }

  @Override
  public Future<Void> markHandled(String updateKey) {
    long updateId = sequenceNumber(updateKey);
    if (updateId < 0) {
      return keyed.mark(updateKey, now());
    }
    Mark mark = new Mark(updateId, now());
    if (ids.isHandled(updateId, mark.at())) {
      // Marked before, and that mark is already on disk.
      return Future.succeededFuture();
    }
    pending.add(mark);
    marksPastSnapshot++;
    Future<Void> written = file.append(DedupFile.mark(mark)).andThen(ar -> {
      pending.remove(mark);
      if (ar.succeeded()) {
        ids.mark(mark.updateId(), mark.at());
      }
    });
    maybeCompact();
    return written;
  }

  /** A bare Telegram update_id as a number; -1 for any other key. */
  private static long sequenceNumber(String key) {
    if (key.isEmpty() || key.length() > 18) {
      return -1;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(key);
  }

  /** What the window holds, for tests and the heap figures. */
  HandledIds.Footprint footprint() {
    return ids.footprint();
  }

  private void maybeCompact() {
    if (compacting || marksPastSnapshot < Math.max(COMPACT_MARKS, snapshotMarks)) {
      return;
    }
    byte[] snapshot = DedupFile.snapshot(ids, pending);
    long replaced = marksPastSnapshot - pending.size();
    compacting = true;
    marksPastSnapshot = pending.size();
    // Queued behind the pending appends and ahead of later ones, on the same writer thread, so none is lost.
    file.rewrite(snapshot).onComplete(ar -> {
      compacting = false;
      if (ar.succeeded()) {
        snapshotMarks = snapshot.length / DedupFile.MARK;
      } else {
        marksPastSnapshot += replaced;
        log.warn("dedup compaction failed, will retry later: {}", ar.cause().toString());
      }
    });
  }

  /** The clock, never running backwards: the window's order of marks is their order in time. */
  private long now() {
    lastNow = Math.max(lastNow, clock.getAsLong());
    return lastNow;
  }

  @Override
  public Future<Void> close() {
    return Future.join(file.close(), keyed.close()).mapEmpty();
  }

  private static void truncate(Path path, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(size);
      channel.force(true);
    }
  }
}
