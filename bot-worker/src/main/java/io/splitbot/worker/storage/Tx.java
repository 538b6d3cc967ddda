package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One atomic change over a few records: {@link Storage#apply} reads them (locked where the backend can), hands
 * them to a body that decides, and applies what the body wrote all or nothing: one PostgreSQL transaction, one JSON
 * file write, ordered Airtable writes under a lock. A body that throws writes nothing. The body may write the records
 * it read and the children of those (a request's history entry); the first read is the lock and repair unit.
 */
public final class Tx {
  /** A record to read, by kind and key. */
  public record Ref(Kind<?> kind, String key) {
  }

  /** A write: {@code record} null deletes; {@code insert} fails with DuplicateKeyException when the key exists. */
  public record Write(Kind<?> kind, String key, Object record, boolean insert) {
  }

  /** What an applied change returned and wrote. */
  public record Done<R>(R result, List<Write> writes) {
  }

  private final Map<Ref, Object> read;
  private final List<Write> writes = new ArrayList<>();

  public Tx(Map<Ref, Object> read) {
    this.read = new HashMap<>(read);
  }

  public static Ref ref(Kind<?> kind, String key) {
    return new Ref(kind, key);
  }

  /** A record read for this change, as this change has left it so far; null when there is none. */
  @SuppressWarnings("unchecked")
  public <T> T get(Kind<T> kind, String key) {
    Ref r = new Ref(kind, key);
    if (!read.containsKey(r)) {
      throw new IllegalStateException(kind + "/" + key + " was not read by this change");
    }
    return (T) read.get(r);
  }

  public <T> void insert(Kind<T> kind, T record) {
    write(kind, record, true);
  }

  public <T> void put(Kind<T> kind, T record) {
    write(kind, record, false);
  }

  public void delete(Kind<?> kind, String key) {
    writes.add(new Write(kind, key, null, false));
    seen(new Ref(kind, key), null);
  }

  private <T> void write(Kind<T> kind, T record, boolean insert) {
    String key = kind.key(record);
    writes.add(new Write(kind, key, record, insert));
    seen(new Ref(kind, key), record);
  }

  private void seen(Ref ref, Object now) {
    if (read.containsKey(ref)) {
      read.put(ref, now);
    }
  }

  public List<Write> writes() {
    return List.copyOf(writes);
  }

  /**
   * A change for a backend that reads and writes one record at a time: reads each record in turn, runs the body,
   * then applies its writes in order.
   */
  public static <R> Future<Done<R>> run(List<Ref> reads, Function<Ref, Future<?>> read, Function<Tx, R> body,
      Function<Write, Future<Void>> write) {
    Map<Ref, Object> found = new HashMap<>();
    Future<Void> done = Future.succeededFuture();
    for (Ref r : reads) {
      done = done.compose(v -> read.apply(r).map(record -> {
        found.put(r, record);
        return null;
      }));
    }
    return done.compose(v -> {
      Tx tx = new Tx(found);
      R result = body.apply(tx);
      Future<Void> written = Future.succeededFuture();
      for (Write w : tx.writes()) {
        written = written.compose(v2 -> write.apply(w));
      }
      return written.map(new Done<>(result, tx.writes()));
    });
  }
}
