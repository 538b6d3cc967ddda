package io.splitbot.worker.storage.airtable;

import io.splitbot.worker.storage.CommentRepository;
import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.ConversationRepository;
import io.splitbot.worker.storage.CounterRepository;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.HistoryRepository;
import io.splitbot.worker.storage.KeyRange;
import io.splitbot.worker.storage.KeyedSerializer;
import io.splitbot.worker.storage.NotFoundException;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.ProcessedUpdateRepository;
import io.splitbot.worker.storage.Queries;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.RequestRepository;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.UserRepository;
import io.splitbot.worker.storage.airtable.AirtableClient.ListQuery;
import io.splitbot.worker.storage.model.Assignment;
import io.splitbot.worker.storage.model.Comment;
import io.splitbot.worker.storage.model.ConversationState;
import io.splitbot.worker.storage.model.DayCounter;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.ProcessedUpdate;
import io.splitbot.worker.storage.model.ServiceRequest;
import io.splitbot.worker.storage.model.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Airtable as the store: one table per kind (names from AIRTABLE_TABLE_*), fields named like the canonical
 * fields (snake_case). Writes upsert on the key field with {@code performUpsert}; reads filter with escaped
 * {@code filterByFormula}. Airtable has no transactions and no unique constraints: operations on one key are
 * serialised in this process, a request is written before its history entry, and the unique guarantees hold for
 * one worker process (see docs/STORAGE.md).
 */
public final class AirtableStorage implements Storage {
  private static final long SCAN_SNAPSHOT_MS = 10 * 60_000;

  private final StorageConfig.Airtable config;
  private final AirtableClient client;
  private final KeyedSerializer serial = new KeyedSerializer();
  private final Map<Kind<?>, Snapshot<?>> scans = new HashMap<>();

  public AirtableStorage(Vertx vertx, StorageConfig.Airtable config) {
    this.config = config;
    this.client = new AirtableClient(vertx, config);
  }

  private record Snapshot<T>(List<T> sorted, List<String> keys, long at) {
  }

  @Override
  public String backend() {
    return "airtable";
  }

  /** Checks the token, the base and that every table exists (one small read per table). */
  @Override
  public Future<Void> start() {
    Future<Void> chain = Future.succeededFuture();
    for (Kind<?> k : Kinds.ALL) {
      chain = chain.compose(v -> client.list(config.table(k), ListQuery.all().max(1)).mapEmpty());
    }
    return chain;
  }

  @Override
  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  @Override
  public Future<JsonObject> health() {
    return client.list(config.table(Kinds.REQUESTS), ListQuery.all().max(1))
        .map(r -> new JsonObject().put("backend", "airtable").put("ok", true).put("base", config.baseId()))
        .recover(e -> Future.succeededFuture(new JsonObject().put("backend", "airtable").put("ok", false)
            .put("base", config.baseId()).put("error", e.getMessage())));
  }

  // ------------------------------------------------------------------ mapping

  static <T> JsonObject toFields(Kind<T> kind, T record) {
    JsonObject canonical = kind.toJson(record);
    JsonObject f = new JsonObject();
    for (String name : kind.fields()) {
      Object v = canonical.getValue(name);
      if (name.equals("estimated_cost") && v instanceof String s) {
        v = new BigDecimal(s); // a number field in Airtable
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

  private <T> Future<Optional<T>> findKey(Kind<T> kind, String key) {
    return find(kind, Formula.keyEq(kind, key)).map(l -> l.stream().findFirst());
  }

  private <T> Future<T> upsert(Kind<T> kind, T record) {
    return client.upsert(config.table(kind), List.of(toFields(kind, record)), kind.keyFields()).map(record);
  }

  private <T> Future<T> insert(Kind<T> kind, T record) {
    return client.create(config.table(kind), List.of(toFields(kind, record))).map(record);
  }

  private static String lockKey(Kind<?> kind, String key) {
    return kind.name() + "/" + key;
  }

  // ------------------------------------------------------------------ repositories

  private final UserRepository users = new UserRepository() {
    @Override
    public Future<UserProfile> upsert(UserProfile p) {
      String key = Long.toString(p.userId());
      return serial.run(lockKey(Kinds.USERS, key), () -> findKey(Kinds.USERS, key).compose(existing -> {
        UserProfile stored = existing.map(e -> new UserProfile(p.userId(), p.firstName(), p.lastName(), p.username(),
            p.languageCode(), p.profileSource(), p.profileLastUpdated(), e.createdAt())).orElse(p);
        return AirtableStorage.this.upsert(Kinds.USERS, stored);
      }));
    }

    @Override
    public Future<Optional<UserProfile>> find(long userId) {
      return findKey(Kinds.USERS, Long.toString(userId));
    }

    @Override
    public Future<Page<UserProfile>> list(int page, int size) {
      try {
        Page.checkPaging(page, size);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return client.list(config.table(Kinds.USERS), ListQuery.all().sortedBy("user_id", "asc"))
          .map(records -> {
            List<UserProfile> all = new ArrayList<>(records.stream().map(r -> fromRecord(Kinds.USERS, r)).toList());
            all.sort(Comparator.comparingLong(UserProfile::userId));
            return Page.slice(all, page, size);
          });
    }
  };

  private Future<ServiceRequest> existingRequest(String number) {
    return findKey(Kinds.REQUESTS, number).compose(o -> o.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new NotFoundException("request", number))));
  }

  private final RequestRepository requests = new RequestRepository() {
    @Override
    public Future<ServiceRequest> create(ServiceRequest r) {
      return serial.run(lockKey(Kinds.REQUESTS, r.number()), () -> findKey(Kinds.REQUESTS, r.number()).compose(existing -> {
        if (existing.isPresent()) {
          return Future.failedFuture(new DuplicateKeyException("request", r.number()));
        }
        return insert(Kinds.REQUESTS, r)
            .compose(v -> insert(Kinds.STATUS_HISTORY, StatusChange.create(r.number(), null, r.status(), r.requesterId(), r.createdAt())))
            .map(r);
      }));
    }

    @Override
    public Future<Optional<ServiceRequest>> find(String number) {
      return findKey(Kinds.REQUESTS, number);
    }

    @Override
    public Future<ServiceRequest> update(ServiceRequest changes) {
      return serial.run(lockKey(Kinds.REQUESTS, changes.number()), () -> existingRequest(changes.number())
          .compose(existing -> upsert(Kinds.REQUESTS, Queries.applyEdit(existing, changes))));
    }

    @Override
    public Future<ServiceRequest> changeStatus(String number, String expectedFrom, String to, long changedBy) {
      try {
        ServiceRequest.checkStatus(to);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return serial.run(lockKey(Kinds.REQUESTS, number), () -> existingRequest(number).compose(existing -> {
        if (!existing.status().equals(expectedFrom)) {
          return Future.failedFuture(new ConflictException("request " + number + " is " + existing.status() + ", not " + expectedFrom));
        }
        ServiceRequest updated = existing.withStatus(to, Queries.bump(existing.updatedAt()));
        return upsert(Kinds.REQUESTS, updated)
            .compose(v -> insert(Kinds.STATUS_HISTORY, StatusChange.create(number, expectedFrom, to, changedBy, updated.updatedAt())))
            .map(updated);
      }));
    }

    @Override
    public Future<ServiceRequest> assign(String number, long executorId, long assignedBy) {
      return serial.run(lockKey(Kinds.REQUESTS, number), () -> existingRequest(number).compose(existing -> {
        ServiceRequest updated = existing.withExecutor(executorId, Queries.bump(existing.updatedAt()));
        return upsert(Kinds.REQUESTS, updated)
            .compose(v -> insert(Kinds.ASSIGNMENTS, Assignment.create(number, executorId, assignedBy, updated.updatedAt())))
            .map(updated);
      }));
    }

    @Override
    public Future<Page<ServiceRequest>> search(String text, String status, int page, int size) {
      List<String> terms = new ArrayList<>();
      String s = Queries.normaliseStatus(status);
      if (s != null) {
        terms.add(Formula.eq("status", s));
      }
      String t = Queries.normaliseText(text);
      if (t != null) {
        terms.add(Formula.containsAny(t, List.of("number", "title", "description", "address", "contact_name")));
      }
      return newest(terms.isEmpty() ? null : Formula.and(terms), r -> Queries.matches(r, t, s), page, size);
    }

    @Override
    public Future<Page<ServiceRequest>> listByRequester(long requesterId, int page, int size) {
      return newest(Formula.eq("requester_id", requesterId), r -> r.requesterId() == requesterId, page, size);
    }

    @Override
    public Future<Page<ServiceRequest>> listByExecutor(long executorId, int page, int size) {
      return newest(Formula.eq("executor_id", executorId),
          r -> r.executorId() != null && r.executorId() == executorId, page, size);
    }

    /** Airtable filters and sorts; the same filter and order are applied again here so all backends agree. */
    private Future<Page<ServiceRequest>> newest(String formula, Predicate<ServiceRequest> filter, int page, int size) {
      try {
        Page.checkPaging(page, size);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      ListQuery q = new ListQuery(formula, List.of(), List.of(), null)
          .sortedBy("created_at", "desc").sortedBy("number", "desc");
      return client.list(config.table(Kinds.REQUESTS), q).map(records -> {
        List<ServiceRequest> all = new ArrayList<>();
        for (JsonObject r : records) {
          ServiceRequest sr = fromRecord(Kinds.REQUESTS, r);
          if (filter.test(sr)) {
            all.add(sr);
          }
        }
        all.sort(Queries.NEWEST_FIRST);
        return Page.slice(all, page, size);
      });
    }
  };

  private final CommentRepository comments = new CommentRepository() {
    @Override
    public Future<Comment> add(Comment c) {
      return serial.run(lockKey(Kinds.COMMENTS, c.id()), () -> existingRequest(c.requestNumber())
          .compose(r -> findKey(Kinds.COMMENTS, c.id()))
          .compose(existing -> existing.map(Future::succeededFuture).orElseGet(() -> insert(Kinds.COMMENTS, c))));
    }

    @Override
    public Future<List<Comment>> list(String requestNumber) {
      return find(Kinds.COMMENTS, Formula.eq("request_number", requestNumber)).map(l -> {
        List<Comment> out = new ArrayList<>(l);
        out.sort(Comparator.comparing(Comment::createdAt).thenComparing(Comment::id));
        return out;
      });
    }
  };

  private final HistoryRepository history = new HistoryRepository() {
    @Override
    public Future<List<StatusChange>> statusHistory(String requestNumber) {
      return find(Kinds.STATUS_HISTORY, Formula.eq("request_number", requestNumber)).map(l -> {
        List<StatusChange> out = new ArrayList<>(l);
        out.sort(Comparator.comparing(StatusChange::changedAt).thenComparing(StatusChange::id));
        return out;
      });
    }

    @Override
    public Future<List<Assignment>> assignments(String requestNumber) {
      return find(Kinds.ASSIGNMENTS, Formula.eq("request_number", requestNumber)).map(l -> {
        List<Assignment> out = new ArrayList<>(l);
        out.sort(Comparator.comparing(Assignment::assignedAt).thenComparing(Assignment::id));
        return out;
      });
    }
  };

  private final ConversationRepository conversations = new ConversationRepository() {
    @Override
    public Future<Optional<ConversationState>> get(String key) {
      return findKey(Kinds.CONVERSATIONS, key);
    }

    @Override
    public Future<ConversationState> put(ConversationState s) {
      return serial.run(lockKey(Kinds.CONVERSATIONS, s.key()), () -> findKey(Kinds.CONVERSATIONS, s.key())
          .compose(previous -> upsert(Kinds.CONVERSATIONS, new ConversationState(s.key(), s.step(), s.dataJson(),
              Queries.bump(previous.map(ConversationState::updatedAt).orElse(null))))));
    }

    @Override
    public Future<Boolean> delete(String key) {
      return serial.run(lockKey(Kinds.CONVERSATIONS, key), () -> client.list(config.table(Kinds.CONVERSATIONS),
              ListQuery.filter(Formula.eq("key", key)))
          .compose(records -> records.isEmpty() ? Future.succeededFuture(false)
              : client.delete(config.table(Kinds.CONVERSATIONS), records.stream().map(r -> r.getString("id")).toList())
                  .map(true)));
    }
  };

  private final CounterRepository counters = new CounterRepository() {
    @Override
    public Future<Long> nextCounter(String yymmdd) {
      new DayCounter(yymmdd, 0);
      return serial.run(lockKey(Kinds.COUNTERS, yymmdd), () -> findKey(Kinds.COUNTERS, yymmdd).compose(c -> {
        DayCounter next = new DayCounter(yymmdd, c.map(DayCounter::value).orElse(0L) + 1);
        return upsert(Kinds.COUNTERS, next).map(next.value());
      }));
    }

    @Override
    public Future<Void> raiseTo(String yymmdd, long value) {
      new DayCounter(yymmdd, value);
      return serial.run(lockKey(Kinds.COUNTERS, yymmdd), () -> findKey(Kinds.COUNTERS, yymmdd).compose(c ->
          c.isPresent() && c.get().value() >= value ? Future.<Void>succeededFuture()
              : upsert(Kinds.COUNTERS, new DayCounter(yymmdd, value)).mapEmpty()));
    }

    @Override
    public Future<Long> current(String yymmdd) {
      new DayCounter(yymmdd, 0);
      return findKey(Kinds.COUNTERS, yymmdd).map(c -> c.map(DayCounter::value).orElse(0L));
    }
  };

  private final ProcessedUpdateRepository processed = new ProcessedUpdateRepository() {
    @Override
    public Future<Boolean> markHandled(long updateId) {
      String key = Long.toString(updateId);
      return serial.run(lockKey(Kinds.PROCESSED_UPDATES, key), () -> findKey(Kinds.PROCESSED_UPDATES, key)
          .compose(existing -> existing.isPresent() ? Future.succeededFuture(false)
              : insert(Kinds.PROCESSED_UPDATES, new ProcessedUpdate(updateId, null)).map(true)));
    }

    @Override
    public Future<Boolean> isHandled(long updateId) {
      return findKey(Kinds.PROCESSED_UPDATES, Long.toString(updateId)).map(Optional::isPresent);
    }

    @Override
    public Future<Long> purgeHandledBefore(Instant cutoff) {
      return client.list(config.table(Kinds.PROCESSED_UPDATES), ListQuery.all()).compose(records -> {
        List<String> ids = new ArrayList<>();
        for (JsonObject r : records) {
          if (fromRecord(Kinds.PROCESSED_UPDATES, r).handledAt().isBefore(cutoff)) {
            ids.add(r.getString("id"));
          }
        }
        return client.delete(config.table(Kinds.PROCESSED_UPDATES), ids).map((long) ids.size());
      });
    }
  };

  @Override
  public UserRepository users() {
    return users;
  }

  @Override
  public RequestRepository requests() {
    return requests;
  }

  @Override
  public CommentRepository comments() {
    return comments;
  }

  @Override
  public HistoryRepository history() {
    return history;
  }

  @Override
  public ConversationRepository conversations() {
    return conversations;
  }

  @Override
  public CounterRepository counters() {
    return counters;
  }

  @Override
  public ProcessedUpdateRepository processedUpdates() {
    return processed;
  }

  // ------------------------------------------------------------------ generic records

  private final Map<Kind<?>, RecordStore<?>> stores = new HashMap<>();

  @Override
  @SuppressWarnings("unchecked")
  public synchronized <T> RecordStore<T> records(Kind<T> kind) {
    return (RecordStore<T>) stores.computeIfAbsent(kind, k -> new AirtableRecords<>(kind));
  }

  private final class AirtableRecords<T> implements RecordStore<T> {
    private final Kind<T> kind;

    AirtableRecords(Kind<T> kind) {
      this.kind = kind;
    }

    @Override
    public Kind<T> kind() {
      return kind;
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
        terms.add(Formula.eq(kind.keyFields().get(i), parts.get(i)));
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
        chain = chain.compose(v -> find(kind, formula).map(found -> {
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
