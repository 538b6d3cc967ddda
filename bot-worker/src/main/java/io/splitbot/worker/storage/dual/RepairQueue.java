package io.splitbot.worker.storage.dual;

import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The durable list of records that one backend still has to receive from the other. An append-only journal
 * ({@code add} and {@code done} lines) under {@code DATA_DIR/dual}: an {@code add} is fsynced before its future
 * completes, so an acknowledged write is never forgotten; a lost {@code done} only repeats an idempotent repair.
 * Targets are backend names (json, postgresql, airtable), not roles, so swapping DUAL_PRIMARY and DUAL_SECONDARY
 * across a restart keeps every entry pointing at the right store. All file IO runs on one dedicated thread.
 */
public final class RepairQueue {
  /** One record to copy: {@code kind}/{@code key} into {@code target}. */
  public record Entry(long id, String kind, String key, String target, String reason, String at) {
    JsonObject toJson() {
      return new JsonObject().put("op", "add").put("id", id).put("kind", kind).put("key", key).put("target", target)
          .put("reason", reason).put("at", at);
    }

    String group() {
      return groupOf(kind, key, target);
    }
  }

  private static String groupOf(String kind, String key, String target) {
    return kind + "\u0000" + key + "\u0000" + target;
  }

  private final Vertx vertx;
  private final Path file;
  private final LinkedHashMap<Long, Entry> pending = new LinkedHashMap<>();
  private final Map<String, Integer> groups = new HashMap<>();
  /** Pending entries per kind and target: whether a query over a kind may miss records on that side. */
  private final Map<String, Integer> kinds = new HashMap<>();
  private final ConcurrentLinkedQueue<Line> lines = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private ExecutorService writer;
  private FileChannel channel;
  private long nextId = 1;
  private long bytesWritten;

  private record Line(String text, boolean durable, Entry entry, Promise<Long> promise, Context context) {
  }

  public RepairQueue(Vertx vertx, Path file) {
    this.vertx = vertx;
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** Reads the journal, keeps what is pending and rewrites it compactly. Runs off the event loop. */
  public Future<Void> open() {
    return vertx.executeBlocking(() -> {
      load();
      return null;
    }, false);
  }

  private void load() throws IOException {
    Files.createDirectories(file.getParent());
    LinkedHashMap<Long, Entry> found = new LinkedHashMap<>();
    long maxId = 0;
    if (Files.exists(file)) {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      for (int i = 0; i < all.size(); i++) {
        String l = all.get(i);
        if (l.isBlank()) {
          continue;
        }
        JsonObject j;
        try {
          j = new JsonObject(l);
        } catch (RuntimeException e) {
          if (i == all.size() - 1) {
            continue; // a torn last line: that add was never acknowledged
          }
          throw new StorageException("dual repair queue " + file + " is damaged at line " + (i + 1)
              + "; it was left untouched. Fix or move it away (then run `migrate validate` and `migrate repair`)");
        }
        long id = j.getLong("id", 0L);
        maxId = Math.max(maxId, id);
        if ("add".equals(j.getString("op"))) {
          found.put(id, new Entry(id, j.getString("kind"), j.getString("key"), j.getString("target"),
              j.getString("reason"), j.getString("at")));
        } else if ("done".equals(j.getString("op"))) {
          found.remove(id);
        }
      }
    }
    StringBuilder b = new StringBuilder();
    for (Entry e : found.values()) {
      b.append(e.toJson().encode()).append('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    synchronized (this) {
      pending.clear();
      groups.clear();
      found.values().forEach(this::index);
      nextId = maxId + 1;
    }
    writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "splitbot-repair-queue");
      t.setDaemon(true);
      return t;
    });
  }

  /** Pending entries of a journal file, read without opening the queue (0 when unreadable). */
  public static int countPending(Path journal) {
    try {
      java.util.Set<Long> open = new java.util.HashSet<>();
      for (String l : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
        try {
          JsonObject j = new JsonObject(l);
          if ("add".equals(j.getString("op"))) {
            open.add(j.getLong("id", 0L));
          } else {
            open.remove(j.getLong("id", 0L));
          }
        } catch (RuntimeException ignored) {
          // torn line
        }
      }
      return open.size();
    } catch (IOException e) {
      return 0;
    }
  }

  private void index(Entry e) {
    pending.put(e.id(), e);
    groups.merge(e.group(), 1, Integer::sum);
    kinds.merge(e.kind() + "\u0000" + e.target(), 1, Integer::sum);
  }

  private void unindex(Entry e) {
    if (pending.remove(e.id()) != null) {
      groups.computeIfPresent(e.group(), (k, n) -> n <= 1 ? null : n - 1);
      kinds.computeIfPresent(e.kind() + "\u0000" + e.target(), (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  public Future<Void> close() {
    if (writer == null) {
      return Future.succeededFuture();
    }
    ExecutorService w = writer;
    return vertx.executeBlocking(() -> {
      w.shutdown();
      w.awaitTermination(10, TimeUnit.SECONDS);
      if (channel != null) {
        channel.close();
      }
      return null;
    }, false).mapEmpty();
  }

  /** Adds an entry; the future completes once it is on disk (fsynced). */
  public Future<Long> add(String kind, String key, String target, String reason) {
    Entry e;
    synchronized (this) {
      e = new Entry(nextId++, kind, key, target, reason, Values.format(Values.now()));
    }
    Promise<Long> p = Promise.promise();
    lines.add(new Line(e.toJson().encode(), true, e, p, vertx.getOrCreateContext()));
    kick();
    return p.future();
  }

  /** Marks entries done (in memory at once; on disk without fsync). */
  public void done(long... ids) {
    for (long id : ids) {
      Entry e;
      synchronized (this) {
        e = pending.get(id);
        if (e == null) {
          continue;
        }
        unindex(e);
      }
      lines.add(new Line(new JsonObject().put("op", "done").put("id", id).encode(), false, null, null, null));
    }
    kick();
  }

  private void kick() {
    if (writer != null && draining.compareAndSet(false, true)) {
      try {
        writer.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        draining.set(false);
        failAll(new StorageUnavailableException("dual repair queue is closed"));
      }
    }
  }

  private void failAll(Throwable t) {
    Line l;
    while ((l = lines.poll()) != null) {
      if (l.promise() != null) {
        Line f = l;
        f.context().runOnContext(v -> f.promise().fail(t));
      }
    }
  }

  private void drain() {
    while (true) {
      List<Line> batch = new ArrayList<>();
      Line l;
      while ((l = lines.poll()) != null) {
        batch.add(l);
      }
      if (!batch.isEmpty()) {
        write(batch);
      }
      draining.set(false);
      if (lines.isEmpty() || !draining.compareAndSet(false, true)) {
        return;
      }
    }
  }

  private void write(List<Line> batch) {
    StringBuilder b = new StringBuilder();
    boolean durable = false;
    for (Line l : batch) {
      b.append(l.text()).append('\n');
      durable |= l.durable();
    }
    Throwable failure = null;
    try {
      ByteBuffer buf = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
      bytesWritten += buf.remaining();
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
      if (durable) {
        channel.force(false);
      }
    } catch (IOException e) {
      failure = new StorageUnavailableException("dual repair queue " + file + " cannot be written: " + e.getMessage(), e);
    }
    for (Line l : batch) {
      if (l.promise() == null) {
        continue;
      }
      if (failure == null) {
        synchronized (this) {
          index(l.entry());
        }
        l.context().runOnContext(v -> l.promise().complete(l.entry().id()));
      } else {
        Throwable f = failure;
        l.context().runOnContext(v -> l.promise().fail(f));
      }
    }
    compactIfIdle();
  }

  /** When nothing is pending and the journal has grown, start it afresh. */
  private void compactIfIdle() {
    synchronized (this) {
      if (!pending.isEmpty() || bytesWritten < 1_000_000 || !lines.isEmpty()) {
        return;
      }
    }
    try {
      channel.truncate(0);
      channel.force(true);
      bytesWritten = 0;
    } catch (IOException ignored) {
      // compaction is best effort; the journal stays valid
    }
  }

  public synchronized boolean hasPending(String kind, String key, String target) {
    return groups.containsKey(groupOf(kind, key, target));
  }

  /** Whether any record of the kind still owes {@code target} a repair. */
  public synchronized boolean hasPendingOfKind(String kind, String target) {
    return kinds.containsKey(kind + "\u0000" + target);
  }

  /** Whether another entry than {@code exceptId} is pending for that record and target. */
  public synchronized boolean hasPendingExcept(String kind, String key, String target, long exceptId) {
    int n = groups.getOrDefault(groupOf(kind, key, target), 0);
    Entry own = pending.get(exceptId);
    boolean ownInGroup = own != null && own.group().equals(groupOf(kind, key, target));
    return n - (ownInGroup ? 1 : 0) > 0;
  }

  /** Ids of the pending entries of one record and target. */
  public synchronized long[] idsOf(String kind, String key, String target) {
    String g = groupOf(kind, key, target);
    return pending.values().stream().filter(e -> e.group().equals(g)).mapToLong(Entry::id).toArray();
  }

  public synchronized List<Entry> pending() {
    return List.copyOf(pending.values());
  }

  public synchronized boolean isPending(long id) {
    return pending.containsKey(id);
  }

  public synchronized int size() {
    return pending.size();
  }

  public synchronized Map<String, Long> countByTarget() {
    Map<String, Long> out = new java.util.TreeMap<>();
    pending.values().forEach(e -> out.merge(e.target(), 1L, Long::sum));
    return out;
  }
}
