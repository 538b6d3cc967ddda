package io.splitbot.worker.dedup;

import io.splitbot.shared.store.GroupCommitFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded dedup store: an append-only file of fixed 16-byte records (update_id, handled-at epoch second),
 * fsynced with group commit and loaded into memory at start. Records older than the window are dropped at load
 * and by compaction. A torn last record (a crash mid-write) is shorter than 16 bytes and is ignored.
 */
public final class FileDeduplicator implements Deduplicator {
  private static final Logger log = LoggerFactory.getLogger(FileDeduplicator.class);
  private static final int RECORD = 16;

  private final GroupCommitFile file;
  private final long ttlSeconds;
  private final Map<Long, Long> handledAt = new HashMap<>();
  private long recordsInFile;
  private boolean compacting;

  private FileDeduplicator(GroupCommitFile file, long ttlSeconds) {
    this.file = file;
    this.ttlSeconds = ttlSeconds;
  }

  /** Opens (or creates) {@code dir/dedup.bin} and loads the marks still inside the window. */
  public static Future<FileDeduplicator> open(Vertx vertx, Path dir, long ttlSeconds) {
    return vertx.executeBlocking(() -> {
      Path path = dir.resolve("dedup.bin");
      byte[] bytes = Files.exists(path) ? Files.readAllBytes(path) : new byte[0];
      FileDeduplicator dedup = new FileDeduplicator(new GroupCommitFile(vertx, path, "splitbot-dedup-writer"), ttlSeconds);
      dedup.load(bytes, path);
      return dedup;
    });
  }

  private void load(byte[] bytes, Path path) {
    long now = nowSeconds();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    while (in.remaining() >= RECORD) {
      long id = in.getLong();
      long at = in.getLong();
      recordsInFile++;
      if (now - at < ttlSeconds) {
        handledAt.put(id, at);
      }
    }
    if (in.remaining() > 0) {
      log.warn("{}: ignoring a torn last record of {} bytes at offset {} (crash while writing)", path, in.remaining(), bytes.length - in.remaining());
    }
  }

  @Override
  public Future<Boolean> isHandled(long updateId) {
    Long at = handledAt.get(updateId);
    return Future.succeededFuture(at != null && nowSeconds() - at < ttlSeconds);
  }

  @Override
  public Future<Void> markHandled(long updateId) {
    long now = nowSeconds();
    ByteBuffer record = ByteBuffer.allocate(RECORD).putLong(updateId).putLong(now);
    // In memory first, so a compaction snapshot taken before this append lands includes it.
    handledAt.put(updateId, now);
    recordsInFile++;
    Future<Void> written = file.append(record.array()).onFailure(e -> handledAt.remove(updateId));
    maybeCompact();
    return written;
  }

  /** Rewrites the file with only the live marks once dead ones dominate. */
  private void maybeCompact() {
    if (compacting || recordsInFile < 10_000 || recordsInFile < 2L * handledAt.size()) {
      return;
    }
    long now = nowSeconds();
    handledAt.values().removeIf(at -> now - at >= ttlSeconds);
    ByteBuffer live = ByteBuffer.allocate(handledAt.size() * RECORD);
    handledAt.forEach((id, at) -> live.putLong(id).putLong(at));
    compacting = true;
    long kept = handledAt.size();
    // Marks appended while the rewrite runs are queued behind it on the same writer thread, so none is lost.
    file.rewrite(live.array()).onComplete(ar -> {
      compacting = false;
      if (ar.succeeded()) {
        recordsInFile = kept;
      } else {
        log.warn("dedup compaction failed, will retry later: {}", ar.cause().toString());
      }
    });
  }

  @Override
  public Future<Void> close() {
    return file.close();
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }
}
