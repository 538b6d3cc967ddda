package io.splitbot.desk.storage.remote;

import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.KindStore;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The desk's request kinds in another worker's request service, through its records endpoint
 * ({@link RemoteBackend#RECORDS_PATH}). Queries are answered there. An atomic change reads its records, runs here,
 * and is applied there in one call that first checks the records read are unchanged; when another writer came in
 * between, the change runs again on fresh reads (a few times, then ConflictException).
 */
final class RemoteStorage implements Storage {
  /** Write calls stay well under the request service's 64 KiB body limit. */
  static final int MAX_BODY_CHARS = 48 * 1024;
  static final int APPLY_ATTEMPTS = 3;

  private final RecordsClient client;

  RemoteStorage(Vertx vertx, StorageConfig.Remote config) {
    this.client = new RecordsClient(vertx, config);
  }

  @Override
  public String backend() {
    return RemoteBackend.NAME;
  }

  /** One round trip: an unreachable service is an outage (dual storage retries), a refused token stops start-up. */
  @Override
  public Future<Void> start() {
    return ping().mapEmpty();
  }

  private Future<JsonObject> ping() {
    return client.call(new JsonObject().put("op", "scan").put("kind", RemoteBackend.KINDS.get(0).name()).put("limit", 1));
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  @Override
  public Future<JsonObject> health() {
    return ping().map(j -> new JsonObject().put("backend", backend()).put("ok", true))
        .otherwise(e -> new JsonObject().put("backend", backend()).put("ok", false).put("error", e.getMessage()));
  }

  @Override
  public <T> RecordStore<T> records(Kind<T> kind) {
    return new RemoteRecords<>(kind);
  }

  @Override
  public <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body) {
    return attempt(reads, body, 1);
  }

  private <R> Future<Tx.Done<R>> attempt(List<Tx.Ref> reads, Function<Tx, R> body, int n) {
    Map<Tx.Ref, Object> found = new HashMap<>();
    Future<Void> read = Future.succeededFuture();
    for (Tx.Ref r : reads) {
      read = read.compose(v -> records(r.kind()).get(r.key()).map(record -> {
        found.put(r, record);
        return null;
      }));
    }
    return read.compose(v -> {
      Tx tx = new Tx(found);
      R result = body.apply(tx);
      JsonArray seen = new JsonArray();
      reads.forEach(r -> seen.add(item(r.kind(), r.key(), found.get(r))));
      JsonArray writes = new JsonArray();
      tx.writes().forEach(w -> writes.add(item(w.kind(), w.key(), w.record()).put("insert", w.insert())));
      return client.call(new JsonObject().put("op", "apply").put("reads", seen).put("writes", writes))
          .map(ok -> new Tx.Done<>(result, tx.writes()));
    }).recover(e -> e instanceof ConflictException && n < APPLY_ATTEMPTS
        ? attempt(reads, body, n + 1)
        : Future.failedFuture(e));
  }

  @SuppressWarnings("unchecked")
  private static <T> JsonObject item(Kind<T> kind, String key, Object record) {
    return new JsonObject().put("kind", kind.name()).put("key", key)
        .put("record", record == null ? null : kind.toJson((T) record));
  }

  private final class RemoteRecords<T> extends KindStore<T> {
    RemoteRecords(Kind<T> kind) {
      super(kind);
    }

    private JsonObject op(String op) {
      return new JsonObject().put("op", op).put("kind", kind.name());
    }

    private List<T> list(JsonObject answer) {
      return read(answer, "records of " + kind.name(), () -> {
        JsonArray raw = answer.getJsonArray("records");
        List<T> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
          out.add(kind.fromJson(raw.getJsonObject(i)));
        }
        return out;
      });
    }

    private long number(JsonObject answer, String field) {
      return read(answer, field, () -> java.util.Objects.requireNonNull(answer.getLong(field)));
    }

    @Override
    public Future<List<T>> scan(String prefix, String afterKey, int limit) {
      return client.call(op("scan").put("prefix", prefix).put("after", afterKey).put("limit", limit)).map(this::list);
    }

    @Override
    public Future<Map<String, T>> getAll(Collection<String> keys) {
      return inChunks(new ArrayList<>(keys), k -> k.length() + 4, chunk -> client.call(op("get")
          .put("keys", new JsonArray(new ArrayList<>(chunk))))).map(answers -> {
            Map<String, T> found = new LinkedHashMap<>();
            answers.forEach(a -> list(a).forEach(r -> found.put(kind.key(r), r)));
            return found;
          });
    }

    @Override
    public Future<Void> putAll(List<T> records, boolean force) {
      List<JsonObject> rows = records.stream().map(kind::toJson).toList();
      return inChunks(rows, r -> r.encode().length() + 1, chunk -> client.call(op("put").put("force", force)
          .put("records", new JsonArray(new ArrayList<>(chunk))))).mapEmpty();
    }

    @Override
    public Future<Void> deleteAll(Collection<String> keys) {
      return inChunks(new ArrayList<>(keys), k -> k.length() + 4, chunk -> client.call(op("delete")
          .put("keys", new JsonArray(new ArrayList<>(chunk))))).mapEmpty();
    }

    @Override
    public Future<Long> count() {
      return client.call(op("count")).map(a -> number(a, "count"));
    }

    @Override
    public Future<List<T>> find(Query query) {
      return client.call(op("find").put("query", query.toJson())).map(this::list);
    }

    @Override
    public Future<Page<T>> page(Query query, int page, int size) {
      return Page.fetched(page, size, () -> client.call(op("page").put("query", query.toJson()).put("page", page)
          .put("size", size)).map(a -> new Page<>(list(a), page, size, number(a, "total"))));
    }
  }

  /**
   * What an answer holds, or, when it does not read (another version, something that is not splitbot), an outage:
   * retry later, and nothing taken from it.
   */
  private static <R> R read(JsonObject answer, String what, java.util.function.Supplier<R> parse) {
    try {
      return parse.get();
    } catch (RuntimeException e) {
      throw new io.splitbot.worker.storage.StorageUnavailableException("the request service answered without valid "
          + what + " (" + e.getClass().getSimpleName() + "); retry later");
    }
  }

  /** Calls {@code send} for consecutive chunks of at most 1000 items and about {@link #MAX_BODY_CHARS}, in order. */
  static <I> Future<List<JsonObject>> inChunks(List<I> items, Function<I, Integer> chars,
      Function<List<I>, Future<JsonObject>> send) {
    List<List<I>> chunks = new ArrayList<>();
    List<I> current = new ArrayList<>();
    int size = 0;
    for (I item : items) {
      int c = chars.apply(item);
      if (!current.isEmpty() && (size + c > MAX_BODY_CHARS || current.size() == 1000)) {
        chunks.add(current);
        current = new ArrayList<>();
        size = 0;
      }
      current.add(item);
      size += c;
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    List<JsonObject> answers = new ArrayList<>();
    Future<Void> f = Future.succeededFuture();
    for (List<I> chunk : chunks) {
      f = f.compose(v -> send.apply(chunk).map(a -> {
        answers.add(a);
        return null;
      }));
    }
    return f.map(answers);
  }
}
