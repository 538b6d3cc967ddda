package io.splitbot.worker.storage.airtable;

import io.splitbot.worker.storage.KeyRange;
import io.splitbot.worker.storage.KindStore;
import io.splitbot.worker.storage.KeyedSerializer;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.airtable.AirtableClient.ListQuery;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Airtable as the store: one table per kind (names from AIRTABLE_TABLE_*), fields named like the canonical
 * fields (snake_case). Writes upsert on the key field with {@code performUpsert}; reads filter with escaped
 * {@code filterByFormula}. Airtable has no transactions and no unique constraints: operations on one key are
 * serialised in this process, a request is written before its history entry, and the unique guarantees hold for
 * one worker process (see docs/STORAGE.md).
 */
public final class AirtableStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(AirtableStorage.class);
  private static final long SCAN_SNAPSHOT_MS = 10 * 60_000;

  private final StorageConfig.Airtable config;
  private final boolean readOnly;
  private final AirtableClient client;
  private final KeyedSerializer serial = new KeyedSerializer();
  private final Map<Kind<?>, Snapshot<?>> scans = new HashMap<>();

  /** @param readOnly a migration source or a dry run's target: start changes nothing in the base */
  public AirtableStorage(Vertx vertx, StorageConfig.Airtable config, boolean readOnly) {
    this.config = config;
    this.readOnly = readOnly;
    this.client = new AirtableClient(vertx, config);
  }

  private record Snapshot<T>(List<T> sorted, List<String> keys, long at) {
  }

  @Override
  public String backend() {
    return "airtable";
  }

  /**
   * Checks the token, the base and that every table exists (one small read per table), then fills in the fields
   * with a default that records written before them lack (see {@link #fillDefaults}).
   */
  @Override
  public Future<Void> start() {
    Future<Void> chain = Future.succeededFuture();
    for (Kind<?> k : Kinds.all()) {
      chain = chain.compose(v -> client.list(config.table(k), ListQuery.all().max(1)).mapEmpty());
    }
    for (Kind<?> k : Kinds.all()) {
      if (!readOnly && !k.defaults().isEmpty()) {
        chain = chain.compose(v -> fillDefaults(k));
      }
    }
    return chain;
  }

  /**
   * Airtable has no column defaults, and an upsert merges on the key fields' values: a Users record from before
   * {@code platform} existed (empty there) would not match a write for ("telegram", its id), which would then add a
   * second record. So the empty default fields are written once, at start: one read with a formula, and a write per
   * 10 records found. A table without the field fails start with what to add.
   */
  private Future<Void> fillDefaults(Kind<?> kind) {
    String table = config.table(kind);
    List<String> blank = kind.defaults().keySet().stream().sorted().map(f -> Formula.eq(f, "")).toList();
    return client.list(table, ListQuery.filter(Formula.or(blank)).onlyFields(kind.keyFields()))
        .recover(e -> Future.failedFuture(e instanceof AirtableException a && a.status() == 422
            ? new StorageException("Airtable table '" + table + "' cannot be read by " + kind.defaults().keySet()
                + ": add the field(s) " + kind.defaults().keySet() + " as single line text (docs/STORAGE.md, Airtable"
                + " tables); Airtable said: " + a.getMessage(), e)
            : e))
        .compose(records -> {
          if (records.isEmpty()) {
            return Future.succeededFuture();
          }
          List<JsonObject> changes = records.stream().map(r -> {
            JsonObject fields = new JsonObject();
            JsonObject have = r.getJsonObject("fields", new JsonObject());
            kind.defaults().forEach((f, value) -> {
              if (have.getValue(f) == null || "".equals(have.getValue(f))) {
                fields.put(f, value);
              }
            });
            return new JsonObject().put("id", r.getString("id")).put("fields", fields);
          }).toList();
          return client.update(table, changes).onSuccess(done -> log.info(
              "Airtable table '{}': filled {} into {} record(s) written before the field existed", table,
              kind.defaults(), done.size())).mapEmpty();
        });
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  @Override
  public Future<JsonObject> health() {
    // a probe, not a list call: it never waits behind the bot's own requests for the 5 requests/s
    return client.probe(config.table(Kinds.USERS))
        .map(ok -> new JsonObject().put("backend", "airtable").put("ok", ok).put("base", config.baseId()));
  }

  // ------------------------------------------------------------------ mapping

  static <T> JsonObject toFields(Kind<T> kind, T record) {
    JsonObject canonical = kind.toJson(record);
    JsonObject f = new JsonObject();
    for (String name : kind.fields()) {
      Object v = canonical.getValue(name);
      if (v != null && kind.type(name) == Kind.Type.DECIMAL) {
        v = new BigDecimal(v.toString()); // a number field in Airtable
      } else if (v instanceof JsonObject o) {
        v = o.encode(); // a long text field holding the JSON
      }
      f.put(name, v); // null clears the cell on upsert
    }
    return f;
  }

  private <T> T fromRecord(Kind<T> kind, JsonObject record) {
    try {
      return kind.fromJson(record.getJsonObject("fields", new JsonObject()));
    } catch (RuntimeException e) {
      throw new StorageException("Airtable table '" + config.table(kind) + "' record " + record.getString("id")
          + " cannot be read: " + e.getMessage(), e);
    }
  }

  private <T> Future<List<T>> find(Kind<T> kind, String formula) {
    return client.list(config.table(kind), ListQuery.filter(formula))
        .map(records -> records.stream().map(r -> fromRecord(kind, r)).toList());
  }

  // ------------------------------------------------------------------ atomic changes

  /**
   * No transactions: the change runs under an in-process lock on its first record, reads, and then writes in the
   * order the body wrote (a request before its history entry), so a failure in the middle leaves the first writes.
   */
  @Override
  public <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body) {
    Tx.Ref root = reads.get(0);
    return serial.run(root.kind().name() + "/" + root.key(),
        () -> Tx.run(reads, r -> records(r.kind()).get(r.key()), body, this::write));
  }

  @SuppressWarnings("unchecked")
  private <T> Future<Void> write(Tx.Write w) {
    Kind<T> kind = (Kind<T>) w.kind();
    if (w.record() == null) {
      return records(kind).deleteAll(List.of(w.key()));
    }
    List<JsonObject> fields = List.of(toFields(kind, (T) w.record()));
    return (w.insert() ? client.create(config.table(kind), fields)
        : client.upsert(config.table(kind), fields, kind.keyFields())).mapEmpty();
  }

  // ------------------------------------------------------------------ generic records

  @Override
  public <T> RecordStore<T> records(Kind<T> kind) {
    return new AirtableRecords<>(kind);
  }

  private final class AirtableRecords<T> extends KindStore<T> {
    AirtableRecords(Kind<T> kind) {
      super(kind);
    }

    /**
     * Airtable cannot filter "key after X" on text, so a scan reads the whole table once (100 records a request),
     * sorts it here and serves the following pages from that snapshot (refreshed after 10 minutes). A scan by
     * prefix reads only the matching records (a formula), every time, so a listing never serves stale values.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Future<List<T>> scan(String prefix, String afterKey, int limit) {
      Snapshot<T> snap;
      synchronized (scans) {
        snap = (Snapshot<T>) scans.get(kind);
      }
      Future<Snapshot<T>> ready;
      if (!prefix.isEmpty()) {
        ready = client.list(config.table(kind), ListQuery.filter(prefixFormula(prefix))).map(this::sorted);
      } else if (afterKey != null && snap != null && System.currentTimeMillis() - snap.at() < SCAN_SNAPSHOT_MS) {
        ready = Future.succeededFuture(snap);
      } else {
        ready = client.list(config.table(kind), ListQuery.all()).map(records -> {
          Snapshot<T> s = sorted(records);
          synchronized (scans) {
            scans.put(kind, s);
          }
          return s;
        });
      }
      KeyRange range = new KeyRange(prefix, afterKey, kind.keyOrder());
      return ready.map(s -> {
        int from = 0;
        if (range.start() != null) {
          int i = java.util.Collections.binarySearch(s.keys(), range.start(), kind.keyOrder());
          from = i < 0 ? -i - 1 : range.inclusive() ? i : i + 1;
        }
        List<T> out = new ArrayList<>();
        for (int i = from; i < s.sorted().size() && out.size() < limit && !range.ended(s.keys().get(i)); i++) {
          out.add(s.sorted().get(i));
        }
        return out;
      });
    }

    /** Airtable filters with a formula; the same filter and order are applied again here so all backends agree. */
    @Override
    public Future<List<T>> find(Query query) {
      List<String> terms = new ArrayList<>();
      for (Query.Condition c : query.where()) {
        if (c instanceof Query.Eq e && e.value() != null) {
          String eq = kind.type(e.field()) == Kind.Type.LONG
              ? Formula.eq(e.field(), Long.parseLong(e.value().toString())) : Formula.eq(e.field(), e.value().toString());
          // a record written before the field existed has it empty, and reads as its default
          terms.add(e.value().toString().equals(kind.defaultValue(e.field())) ? Formula.or(List.of(eq, Formula.eq(e.field(), ""))) : eq);
        } else if (c instanceof Query.Contains t) {
          terms.add(Formula.containsAny(t.lowerText(), t.fields()));
        }
      }
      return AirtableStorage.this.find(kind, terms.isEmpty() ? null : Formula.and(terms)).map(l -> query.apply(kind, l));
    }

    private Snapshot<T> sorted(List<JsonObject> records) {
      List<T> all = new ArrayList<>(records.stream().map(r -> fromRecord(kind, r)).toList());
      Comparator<String> order = kind.keyOrder();
      all.sort((a, b) -> order.compare(kind.key(a), kind.key(b)));
      return new Snapshot<>(all, all.stream().map(kind::key).toList(), System.currentTimeMillis());
    }

    private String prefixFormula(String prefix) {
      List<String> parts = kind.keyParts(prefix);
      List<String> terms = new ArrayList<>();
      int last = parts.size() - 1;
      for (int i = 0; i < last; i++) {
        terms.add(Formula.keyEq(kind.keyFields().get(i), kind.numericKeyPart(i), parts.get(i)));
      }
      if (!parts.get(last).isEmpty()) {
        terms.add(Formula.startsWith(kind.keyFields().get(last), parts.get(last)));
      }
      return Formula.and(terms);
    }

    @Override
    public Future<Map<String, T>> getAll(Collection<String> keys) {
      List<String> all = new ArrayList<>(keys);
      Map<String, T> out = new LinkedHashMap<>();
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < all.size(); i += 50) {
        List<String> chunk = all.subList(i, Math.min(all.size(), i + 50));
        String formula = Formula.or(chunk.stream().map(k -> Formula.keyEq(kind, k)).toList());
        chain = chain.compose(v -> AirtableStorage.this.find(kind, formula).map(found -> {
          found.forEach(t -> out.put(kind.key(t), t));
          return null;
        }));
      }
      return chain.map(v -> out);
    }

    @Override
    public Future<Void> putAll(List<T> records, boolean force) {
      if (records.isEmpty()) {
        return Future.succeededFuture();
      }
      Future<List<T>> toWrite = force || kind.versionField() == null
          ? Future.succeededFuture(records)
          : getAll(records.stream().map(kind::key).toList()).map(existing -> records.stream()
              .filter(r -> {
                T e = existing.get(kind.key(r));
                return e == null || kind.version(e) <= kind.version(r);
              }).toList());
      return toWrite.compose(list -> client.upsert(config.table(kind),
          list.stream().map(r -> toFields(kind, r)).toList(), kind.keyFields())).mapEmpty();
    }

    @Override
    public Future<Void> deleteAll(Collection<String> keys) {
      if (keys.isEmpty()) {
        return Future.succeededFuture();
      }
      List<String> all = new ArrayList<>(keys);
      Future<Void> chain = Future.succeededFuture();
      for (int i = 0; i < all.size(); i += 50) {
        List<String> chunk = all.subList(i, Math.min(all.size(), i + 50));
        String formula = Formula.or(chunk.stream().map(k -> Formula.keyEq(kind, k)).toList());
        chain = chain.compose(v -> client.list(config.table(kind), ListQuery.filter(formula).onlyFields(kind.keyFields()))
            .compose(recs -> client.delete(config.table(kind), recs.stream().map(r -> r.getString("id")).toList())));
      }
      return chain;
    }

    @Override
    public Future<Long> count() {
      return client.list(config.table(kind), ListQuery.all().onlyFields(kind.keyFields()))
          .map(r -> (long) r.size());
    }
  }
}
