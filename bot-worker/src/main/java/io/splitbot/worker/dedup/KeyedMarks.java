package io.splitbot.worker.dedup;

import io.splitbot.shared.store.GroupCommitFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handled update keys that are not sequence numbers (MAX's message ids, callback ids and the like), for the dedup
 * window: in memory in the order marked, and in {@code DATA_DIR/dedup-keys.log}, one line per mark
 * ({@code <epoch second> <key, URL-encoded>}), appended with group commit. Such keys have no order to compress, so
 * memory follows the traffic of the window; expired keys drop off the front. Once the lines outgrow the live keys
 * the file is rewritten with the live ones. A mark reaches memory only once it is on disk, as in
 * {@link FileDeduplicator}. Runs on one event loop.
 */
final class KeyedMarks {
  private static final Logger log = LoggerFactory.getLogger(KeyedMarks.class);
  private static final int COMPACT_LINES = 65_536;

  private final GroupCommitFile file;
  private final long ttl;
  /** Key → epoch second marked, oldest first. */
  private final LinkedHashMap<String, Long> marked = new LinkedHashMap<>();
  /** Marks appended and not yet on disk; a rewrite meanwhile carries them. */
  private final LinkedHashMap<String, Long> pending = new LinkedHashMap<>();
  private long lines;
  private boolean compacting;

  private KeyedMarks(GroupCommitFile file, long ttl) {
    this.file = file;
    this.ttl = ttl;
  }

  private KeyedMarks(GroupCommitFile file, long ttl, KeyedMarks loaded) {
    this(file, ttl);
    marked.putAll(loaded.marked);
    lines = loaded.lines;
  }

  static Future<KeyedMarks> open(Vertx vertx, Path dir, long ttlSeconds, long now) {
    return vertx.executeBlocking(() -> {
      Path path = dir.resolve("dedup-keys.log");
      String text = Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
      KeyedMarks marks = new KeyedMarks(null, ttlSeconds);
      int good = marks.load(text, path, now);
      if (good < text.length()) {
        // Cut the torn line off, or the next mark would be appended to it and misread.
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
          channel.truncate(text.substring(0, good).getBytes(StandardCharsets.UTF_8).length);
          channel.force(true);
        }
      }
      return new KeyedMarks(new GroupCommitFile(vertx, path, "splitbot-dedup-keys-writer"), ttlSeconds, marks);
    });
  }

  /** Reads the marks; returns where the good lines end. */
  private int load(String text, Path path, long now) {
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        // A crash tore the last line; its update was not answered as handled, so it runs again when redelivered.
        log.warn("{}: dropping a torn last line at offset {} (crash while writing)", path, start);
        break;
      }
      String line = text.substring(start, end);
      int space = line.indexOf(' ');
      try {
        long at = Long.parseLong(line.substring(0, space));
        String key = URLDecoder.decode(line.substring(space + 1), StandardCharsets.UTF_8);
        marked.remove(key);
        marked.put(key, at);
      } catch (RuntimeException e) {
        log.warn("{}: ignoring an unreadable line at offset {}", path, start);
      }
      lines++;
      start = end + 1;
    }
    expire(now);
    return start;
  }

  boolean isHandled(String key, long now) {
    expire(now);
    return marked.containsKey(key);
  }

  Future<Void> mark(String key, long now) {
    if (isHandled(key, now)) {
      return Future.succeededFuture();
    }
    pending.put(key, now);
    lines++;
    Future<Void> written = file.append(line(key, now)).andThen(ar -> {
      pending.remove(key);
      if (ar.succeeded()) {
        marked.put(key, now);
      }
    });
    maybeCompact();
    return written;
  }

  int size() {
    return marked.size();
  }

  private void expire(long now) {
    Iterator<Map.Entry<String, Long>> oldest = marked.entrySet().iterator();
    while (oldest.hasNext()) {
      if (oldest.next().getValue() + ttl > now) {
        return;
      }
      oldest.remove();
    }
  }

  private void maybeCompact() {
    long live = marked.size() + pending.size();
    if (compacting || lines < Math.max(COMPACT_LINES, 2 * live)) {
      return;
    }
    StringBuilder snapshot = new StringBuilder();
    marked.forEach((key, at) -> snapshot.append(text(key, at)));
    pending.forEach((key, at) -> snapshot.append(text(key, at)));
    long before = lines;
    compacting = true;
    lines = live;
    // Queued behind the pending appends on the same writer thread, so none of them is lost.
    file.rewrite(snapshot.toString().getBytes(StandardCharsets.UTF_8)).onComplete(ar -> {
      compacting = false;
      if (ar.failed()) {
        lines = before;
        log.warn("dedup key log compaction failed, will retry later: {}", ar.cause().toString());
      }
    });
  }

  private static byte[] line(String key, long at) {
    return text(key, at).getBytes(StandardCharsets.UTF_8);
  }

  private static String text(String key, long at) {
    return at + " " + URLEncoder.encode(key, StandardCharsets.UTF_8) + "\n";
  }

  Future<Void> close() {
    return file.close();
  }
}
