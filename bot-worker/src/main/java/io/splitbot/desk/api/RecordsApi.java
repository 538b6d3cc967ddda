package io.splitbot.desk.api;

import io.splitbot.desk.storage.remote.RemoteBackend;
import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/bot/records}: this worker's requests, comments, status history and assignments as stored
 * records, for another worker's {@code remote} backend (a dual-write replica, or a bot whose requests live here).
 * The request endpoints are operations (they number requests, make ids, notify people); a replica needs the
 * records exactly as the other side has them, and must notify nobody: these writes go to the storage alone.
 *
 * <p>The body names an {@code op} and answers with the records in canonical form ({@link Kind#toJson}). {@code apply}
 * is one atomic change: under this storage's lock it checks that the records read are still as the caller saw them
 * (409 {@code conflict} otherwise) and applies the writes (409 {@code duplicate} for an insert whose key exists).
 */
final class RecordsApi {
  /** Records in one answer at most: the remote backend scans in pages of this size. */
  static final int MAX_LIMIT = 1000;

  private final Storage storage;

  RecordsApi(Storage storage) {
    this.storage = storage;
  }

  /** A refusal of the call itself: status 400 or 422 and a reason in English for the calling service's log. */
  static final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** The answer to one call; fails with {@link Refused}, ConflictException, DuplicateKeyException or a storage error. */
  Future<JsonObject> handle(JsonObject body) {
    String op = body.getValue("op") instanceof String s ? s : "";
    if (op.equals("apply")) {
      return apply(body.getJsonArray("reads", new JsonArray()), body.getJsonArray("writes", new JsonArray()));
    }
    if (!OPS.contains(op)) {
      throw new Refused(400, "op must be one of scan, get, put, delete, count, find, page, apply");
    }
    return op(kind(body.getValue("kind")), op, body);
  }

  private static final java.util.Set<String> OPS = java.util.Set.of("scan", "get", "put", "delete", "count", "find", "page");

  private <T> Future<JsonObject> op(Kind<T> kind, String op, JsonObject body) {
    return switch (op) {
      case "scan" -> storage.records(kind).scan(text(body, "prefix", ""), text(body, "after", null),
          limit(body.getValue("limit"))).map(list -> records(kind, list));
      case "get" -> storage.records(kind).getAll(keys(body)).map(found -> records(kind, found.values()));
      case "put" -> put(kind, body.getJsonArray("records"), body.getBoolean("force", true));
      case "delete" -> storage.records(kind).deleteAll(keys(body)).map(new JsonObject());
      case "count" -> storage.records(kind).count().map(n -> new JsonObject().put("count", n));
      case "find" -> storage.records(kind).find(query(body)).map(list -> records(kind, list));
      case "page" -> page(kind, body);
      default -> throw new IllegalStateException("op " + op); // OPS is checked first
    };
  }

  private static Kind<?> kind(Object name) {
    return RemoteBackend.KINDS.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow(() -> new Refused(422,
        "kind must be one of " + RemoteBackend.KINDS.stream().map(Kind::name).toList()));
  }

  private static String text(JsonObject body, String field, String fallback) {
    Object v = body.getValue(field);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof String s)) {
      throw new Refused(422, field + " must be text");
    }
    return s;
  }

  private static int limit(Object v) {
    if (!(v instanceof Number n) || n.longValue() < 1 || n.longValue() > MAX_LIMIT) {
      throw new Refused(422, "limit must be between 1 and " + MAX_LIMIT);
    }
    return n.intValue();
  }

  private static List<String> keys(JsonObject body) {
    if (!(body.getValue("keys") instanceof JsonArray a) || a.size() > MAX_LIMIT
        || !a.stream().allMatch(k -> k instanceof String)) {
      throw new Refused(422, "keys must be a list of at most " + MAX_LIMIT + " texts");
    }
    return a.stream().map(k -> (String) k).toList();
  }

  private static Query query(JsonObject body) {
    try {
      return Query.fromJson(body.getValue("query") instanceof JsonObject q ? q : new JsonObject());
    } catch (IllegalArgumentException e) {
      throw new Refused(422, e.getMessage());
    }
  }

  private <T> Future<JsonObject> page(Kind<T> kind, JsonObject body) {
    int page = body.getValue("page") instanceof Number n ? n.intValue() : -1;
    int size = body.getValue("size") instanceof Number n ? n.intValue() : -1;
    try {
      Page.checkPaging(page, size);
    } catch (IllegalArgumentException e) {
      throw new Refused(422, e.getMessage());
    }
    return storage.records(kind).page(query(body), page, size)
        .map(p -> records(kind, p.items()).put("total", p.total()));
  }

  private <T> Future<JsonObject> put(Kind<T> kind, JsonArray raw, boolean force) {
    if (raw == null || raw.size() > MAX_LIMIT) {
      throw new Refused(422, "records must be a list of at most " + MAX_LIMIT + " records");
    }
    List<T> list = new ArrayList<>();
    for (Object o : raw) {
      list.add(record(kind, o));
    }
    return storage.records(kind).putAll(list, force).map(new JsonObject());
  }

  private static <T> T record(Kind<T> kind, Object raw) {
    if (!(raw instanceof JsonObject j)) {
      throw new Refused(422, kind.name() + ": a record must be a JSON object");
    }
    try {
      return kind.fromJson(j);
    } catch (RuntimeException e) {
      throw new Refused(422, kind.name() + ": " + e.getMessage());
    }
  }

  /** A read the caller made, with what it found (null: nothing), or a write it wants applied. */
  private record Item(Kind<?> kind, String key, Object record, boolean insert) {
    Tx.Ref ref() {
      return Tx.ref(kind, key);
    }
  }

  private static List<Item> items(JsonArray raw, String what) {
    List<Item> out = new ArrayList<>();
    for (Object o : raw) {
      if (!(o instanceof JsonObject j) || !(j.getValue("key") instanceof String key)) {
        throw new Refused(422, what + ": each is {kind, key, record}");
      }
      Kind<?> kind = kind(j.getValue("kind"));
      Object record = j.getValue("record") == null ? null : record(kind, j.getValue("record"));
      if (record != null && !key.equals(keyOf(kind, record))) {
        throw new Refused(422, what + ": the record's key is not " + key);
      }
      out.add(new Item(kind, key, record, j.getBoolean("insert", false)));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <T> String keyOf(Kind<T> kind, Object record) {
    return kind.key((T) record);
  }

  @SuppressWarnings("unchecked")
  private static <T> String canonical(Kind<T> kind, Object record) {
    return record == null ? null : kind.toJson((T) record).encode();
  }

  @SuppressWarnings("unchecked")
  private static <T> void write(Tx tx, Item w) {
    Kind<T> kind = (Kind<T>) w.kind();
    if (w.record() == null) {
      tx.delete(kind, w.key());
    } else if (w.insert()) {
      tx.insert(kind, (T) w.record());
    } else {
      tx.put(kind, (T) w.record());
    }
  }

  private Future<JsonObject> apply(JsonArray rawReads, JsonArray rawWrites) {
    List<Item> reads = items(rawReads, "reads");
    List<Item> writes = items(rawWrites, "writes");
    if (reads.isEmpty()) {
      throw new Refused(422, "reads: the first record read is the change's lock; give at least one");
    }
    return storage.apply(reads.stream().map(Item::ref).toList(), tx -> {
      for (Item r : reads) {
        if (!java.util.Objects.equals(canonical(r.kind(), tx.get(r.kind(), r.key())), canonical(r.kind(), r.record()))) {
          throw new ConflictException(r.kind().name() + " " + r.key() + " changed meanwhile");
        }
      }
      writes.forEach(w -> write(tx, w));
      return null;
    }).map(new JsonObject());
  }

  /** The 409 body's reason, which the remote backend turns back into the same exception. */
  static Map.Entry<Integer, JsonObject> refusal(Throwable e) {
    if (e instanceof Refused r) {
      return Map.entry(r.status, new JsonObject().put("message", r.getMessage()));
    }
    if (e instanceof DuplicateKeyException d) {
      return Map.entry(409, new JsonObject().put("reason", "duplicate").put("kind", d.kind()).put("key", d.key())
          .put("message", d.getMessage()));
    }
    if (e instanceof ConflictException c) {
      return Map.entry(409, new JsonObject().put("reason", "conflict").put("message", c.getMessage()));
    }
    return null;
  }

  private static <T> JsonObject records(Kind<T> kind, java.util.Collection<T> list) {
    JsonArray out = new JsonArray();
    list.forEach(r -> out.add(kind.toJson(r)));
    return new JsonObject().put("records", out);
  }
}
