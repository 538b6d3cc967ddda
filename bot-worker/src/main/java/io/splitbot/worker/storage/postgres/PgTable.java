package io.splitbot.worker.storage.postgres;

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
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
  final String scanFirst;
  final String scanAfter;
  final String getAll;
  final String deleteAll;
  final String count;

  private PgTable(Kind<T> kind, Function<T, Tuple> params, Function<Row, T> reader) {
    this.kind = kind;
    this.params = params;
    this.reader = reader;
    List<String> f = kind.fields();
    String t = kind.name();
    String key = quote(kind.keyField());
    this.columns = f.stream().map(PgTable::quote).collect(Collectors.joining(", "));
    String values = IntStream.rangeClosed(1, f.size()).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
    this.insert = "INSERT INTO " + t + " (" + columns + ") VALUES (" + values + ")";
    String set = f.stream().skip(1).map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
    this.upsertForced = insert + " ON CONFLICT (" + key + ") DO UPDATE SET " + set;
    this.upsertGuarded = kind.versionField() == null
        ? upsertForced
        : upsertForced + " WHERE " + t + "." + quote(kind.versionField()) + " <= EXCLUDED." + quote(kind.versionField());
    this.scanFirst = "SELECT " + columns + " FROM " + t + " ORDER BY " + key + " LIMIT $1";
    this.scanAfter = "SELECT " + columns + " FROM " + t + " WHERE " + key + " > $1 ORDER BY " + key + " LIMIT $2";
    this.getAll = "SELECT " + columns + " FROM " + t + " WHERE " + key + " = ANY($1)";
    this.deleteAll = "DELETE FROM " + t + " WHERE " + key + " = ANY($1)";
    this.count = "SELECT count(*) FROM " + t;
  }

  static String quote(String column) {
    return "\"" + column + "\"";
  }

  /** The key as a bind value: bigint for numeric keys. */
  Object keyParam(String key) {
    return kind.numericKey() ? (Object) Long.parseLong(key) : key;
  }

  Object keyArray(java.util.Collection<String> keys) {
    if (kind.numericKey()) {
      return keys.stream().map(Long::parseLong).toArray(Long[]::new);
    }
    return keys.toArray(new String[0]);
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

  static final Map<Kind<?>, PgTable<?>> ALL = Map.of(
      Kinds.USERS, USERS, Kinds.REQUESTS, REQUESTS, Kinds.COMMENTS, COMMENTS, Kinds.STATUS_HISTORY, STATUS_HISTORY,
      Kinds.ASSIGNMENTS, ASSIGNMENTS, Kinds.CONVERSATIONS, CONVERSATIONS, Kinds.COUNTERS, COUNTERS,
      Kinds.PROCESSED_UPDATES, PROCESSED_UPDATES);

  @SuppressWarnings("unchecked")
  static <T> PgTable<T> of(Kind<T> kind) {
    return (PgTable<T>) ALL.get(kind);
  }
}
