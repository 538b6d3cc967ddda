package io.splitbot.worker.storage.postgres;

import io.splitbot.worker.storage.model.Assignment;
import io.splitbot.worker.storage.model.Comment;
import io.splitbot.worker.storage.model.ConversationState;
import io.splitbot.worker.storage.model.DayCounter;
import io.splitbot.worker.storage.model.KeyValueEntry;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.ProcessedUpdate;
import io.splitbot.worker.storage.model.ServiceRequest;
import io.splitbot.worker.storage.model.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** How one kind maps to its table: parameters in {@link Kind#fields()} order, and a row reader. All SQL is parameterised. */
final class PgTable<T> {
  final Kind<T> kind;
  final Function<T, Tuple> params;
  final Function<Row, T> reader;
  final String columns;
  final String insert;
  final String upsertForced;
  final String upsertGuarded;
  final String getAll;
  final String deleteAll;
  final String count;
  private final List<String> keyColumns;

  private PgTable(Kind<T> kind, Function<T, Tuple> params, Function<Row, T> reader) {
    this.kind = kind;
    this.params = params;
    this.reader = reader;
    List<String> f = kind.fields();
    String t = kind.name();
    this.keyColumns = kind.keyFields().stream().map(PgTable::quote).toList();
    String key = String.join(", ", keyColumns);
    this.columns = f.stream().map(PgTable::quote).collect(Collectors.joining(", "));
    String values = IntStream.rangeClosed(1, f.size()).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
    this.insert = "INSERT INTO " + t + " (" + columns + ") VALUES (" + values + ")";
    String set = f.stream().filter(c -> !kind.keyFields().contains(c)).map(c -> quote(c) + " = EXCLUDED." + quote(c))
        .collect(Collectors.joining(", "));
    this.upsertForced = insert + " ON CONFLICT (" + key + ") DO UPDATE SET " + set;
    this.upsertGuarded = kind.versionField() == null
        ? upsertForced
        : upsertForced + " WHERE " + t + "." + quote(kind.versionField()) + " <= EXCLUDED." + quote(kind.versionField());
    String keyIn = keyColumns.size() == 1
        ? key + " = ANY($1)"
        : "(" + key + ") IN (SELECT * FROM unnest(" + IntStream.rangeClosed(1, keyColumns.size())
            .mapToObj(i -> "$" + i + "::text[]").collect(Collectors.joining(", ")) + "))";
    this.getAll = "SELECT " + columns + " FROM " + t + " WHERE " + keyIn;
    this.deleteAll = "DELETE FROM " + t + " WHERE " + keyIn;
    this.count = "SELECT count(*) FROM " + t;
  }

  static String quote(String column) {
    return "\"" + column + "\"";
  }

  /**
   * A scan in key order: keys starting with {@code prefix} (every part but the last given in full), after
   * {@code afterKey}. The prefix is a range on the key index (the key columns use the "C" collation, code point
   * order), so a page reads only its own rows.
   */
  Tuple scan(String prefix, String afterKey, int limit, StringBuilder sql) {
    List<Object> args = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (!prefix.isEmpty()) {
      List<String> parts = kind.keyParts(prefix);
      int last = parts.size() - 1;
      for (int i = 0; i < last; i++) {
        args.add(parts.get(i));
        where.add(keyColumns.get(i) + " = $" + args.size());
      }
      if (!parts.get(last).isEmpty()) {
        args.add(parts.get(last));
        where.add(keyColumns.get(last) + " >= $" + args.size());
        String end = successor(parts.get(last));
        if (end != null) {
          args.add(end);
          where.add(keyColumns.get(last) + " < $" + args.size());
        }
      }
    }
    if (afterKey != null) {
      List<String> marks = new ArrayList<>();
      List<String> parts = kind.keyParts(afterKey);
      for (int i = 0; i < parts.size(); i++) {
        args.add(kind.numericKey() ? (Object) Long.parseLong(parts.get(i)) : parts.get(i));
        marks.add("$" + args.size());
      }
      where.add("(" + String.join(", ", keyColumns) + ") > (" + String.join(", ", marks) + ")");
    }
    args.add(limit);
    sql.append("SELECT ").append(columns).append(" FROM ").append(kind.name())
        .append(where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        .append(" ORDER BY ").append(String.join(", ", keyColumns)).append(" LIMIT $").append(args.size());
    return Tuple.from(args);
  }

  /** The least text above every text that starts with {@code prefix}, in code point order; null when none. */
  static String successor(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      if (cps[i] < Character.MAX_CODE_POINT) {
        int next = cps[i] + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : cps[i] + 1;
        return new String(cps, 0, i) + Character.toString(next);
      }
    }
    return null;
  }

  /** The keys as bind values, one array per key column: bigint for numeric keys. */
  Tuple keyArrays(Collection<String> keys) {
    if (kind.numericKey()) {
      return Tuple.of(keys.stream().map(Long::parseLong).toArray(Long[]::new));
    }
    Tuple t = Tuple.tuple();
    for (int i = 0; i < keyColumns.size(); i++) {
      int part = i;
      t.addValue(keys.stream().map(k -> kind.keyParts(k).get(part)).toArray(String[]::new));
    }
    return t;
  }

  static OffsetDateTime ts(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  static final PgTable<UserProfile> USERS = new PgTable<>(Kinds.USERS,
      u -> Tuple.from(new Object[] {u.userId(), u.firstName(), u.lastName(), u.username(), u.languageCode(),
          u.profileSource(), ts(u.profileLastUpdated()), ts(u.createdAt())}),
      r -> new UserProfile(r.getLong("user_id"), r.getString("first_name"), r.getString("last_name"),
          r.getString("username"), r.getString("language_code"), r.getString("profile_source"),
          instant(r, "profile_last_updated"), instant(r, "created_at")));

  static final PgTable<ServiceRequest> REQUESTS = new PgTable<>(Kinds.REQUESTS,
      q -> Tuple.from(new Object[] {q.number(), q.requesterId(), q.title(), q.description(), q.address(),
          q.apartment(), q.category(), q.priority(), q.phone(), q.contactName(), q.isEmergency(), q.estimatedCost(),
          ts(q.preferredTime()), q.status(), q.executorId(), ts(q.createdAt()), ts(q.updatedAt())}),
      r -> new ServiceRequest(r.getString("number"), r.getLong("requester_id"), r.getString("title"),
          r.getString("description"), r.getString("address"), r.getString("apartment"), r.getString("category"),
          r.getString("priority"), r.getString("phone"), r.getString("contact_name"), r.getBoolean("is_emergency"),
          r.getBigDecimal("estimated_cost"), instant(r, "preferred_time"), r.getString("status"),
          r.getLong("executor_id"), instant(r, "created_at"), instant(r, "updated_at")));

  static final PgTable<Comment> COMMENTS = new PgTable<>(Kinds.COMMENTS,
      c -> Tuple.of(c.id(), c.requestNumber(), c.authorId(), c.text(), ts(c.createdAt())),
      r -> new Comment(r.getString("id"), r.getString("request_number"), r.getLong("author_id"), r.getString("text"),
          instant(r, "created_at")));

  static final PgTable<StatusChange> STATUS_HISTORY = new PgTable<>(Kinds.STATUS_HISTORY,
      s -> Tuple.of(s.id(), s.requestNumber(), s.fromStatus(), s.toStatus(), s.changedBy(), ts(s.changedAt())),
      r -> new StatusChange(r.getString("id"), r.getString("request_number"), r.getString("from_status"),
          r.getString("to_status"), r.getLong("changed_by"), instant(r, "changed_at")));

  static final PgTable<Assignment> ASSIGNMENTS = new PgTable<>(Kinds.ASSIGNMENTS,
      a -> Tuple.of(a.id(), a.requestNumber(), a.executorId(), a.assignedBy(), ts(a.assignedAt())),
      r -> new Assignment(r.getString("id"), r.getString("request_number"), r.getLong("executor_id"),
          r.getLong("assigned_by"), instant(r, "assigned_at")));

  static final PgTable<ConversationState> CONVERSATIONS = new PgTable<>(Kinds.CONVERSATIONS,
      c -> Tuple.of(c.key(), c.step(), c.dataJson(), ts(c.updatedAt())),
      r -> new ConversationState(r.getString("key"), r.getString("step"), r.getString("data"), instant(r, "updated_at")));

  static final PgTable<DayCounter> COUNTERS = new PgTable<>(Kinds.COUNTERS,
      c -> Tuple.of(c.day(), c.value()),
      r -> new DayCounter(r.getString("day"), r.getLong("value")));

  static final PgTable<ProcessedUpdate> PROCESSED_UPDATES = new PgTable<>(Kinds.PROCESSED_UPDATES,
      p -> Tuple.of(p.updateId(), ts(p.handledAt())),
      r -> new ProcessedUpdate(r.getLong("update_id"), instant(r, "handled_at")));

  static final PgTable<KeyValueEntry> KEY_VALUE = new PgTable<>(Kinds.KEY_VALUE,
      e -> Tuple.of(e.store(), e.key(), e.value(), ts(e.updatedAt())),
      r -> new KeyValueEntry(r.getString("store"), r.getString("key"), r.getJsonObject("value"), instant(r, "updated_at")));

  static final Map<Kind<?>, PgTable<?>> ALL = Map.of(
      Kinds.USERS, USERS, Kinds.REQUESTS, REQUESTS, Kinds.COMMENTS, COMMENTS, Kinds.STATUS_HISTORY, STATUS_HISTORY,
      Kinds.ASSIGNMENTS, ASSIGNMENTS, Kinds.CONVERSATIONS, CONVERSATIONS, Kinds.COUNTERS, COUNTERS,
      Kinds.PROCESSED_UPDATES, PROCESSED_UPDATES, Kinds.KEY_VALUE, KEY_VALUE);

  @SuppressWarnings("unchecked")
  static <T> PgTable<T> of(Kind<T> kind) {
    return (PgTable<T>) ALL.get(kind);
  }
}
