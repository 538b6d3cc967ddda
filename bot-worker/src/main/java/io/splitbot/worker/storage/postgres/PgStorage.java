package io.splitbot.worker.storage.postgres;

import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.storage.CommentRepository;
import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.ConversationRepository;
import io.splitbot.worker.storage.CounterRepository;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.HistoryRepository;
import io.splitbot.worker.storage.NotFoundException;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.ProcessedUpdateRepository;
import io.splitbot.worker.storage.Queries;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.RequestRepository;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.UserRepository;
import io.splitbot.worker.storage.model.Assignment;
import io.splitbot.worker.storage.model.Comment;
import io.splitbot.worker.storage.model.ConversationState;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.ServiceRequest;
import io.splitbot.worker.storage.model.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL through the reactive pg client (pooled). The schema comes from the Flyway migrations in
 * {@code db/migration}, applied at start inside {@code executeBlocking}. Multi-row operations run in one
 * transaction, so an outage in the middle leaves nothing half-written.
 */
public final class PgStorage implements Storage {
  private static final Logger log = LoggerFactory.getLogger(PgStorage.class);
  static final String HISTORY_TABLE = "splitbot_schema_history";

  private final Vertx vertx;
  private final StorageConfig.Postgres config;
  private final boolean readOnly;
  private Pool pool;
  private volatile java.util.Set<String> tables = java.util.Set.of();

  /**
   * @param readOnly do not apply migrations (a migration source, or a dry run's target); a missing schema then
   *     reads as an empty database
   */
  public PgStorage(Vertx vertx, StorageConfig.Postgres config, boolean readOnly) {
    this.vertx = vertx;
    this.config = config;
    this.readOnly = readOnly;
  }

  @Override
  public String backend() {
    return "postgresql";
  }

  private String user() {
    return config.user() != null ? config.user() : System.getProperty("user.name");
  }

  PgConnectOptions connectOptions() {
    PgConnectOptions o = new PgConnectOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setDatabase(config.database())
        .setUser(user())
        .setPassword(config.password() == null ? "" : config.password())
        .setReconnectAttempts(0);
    String ssl = config.params().get("sslmode");
    if (ssl != null) {
      o.setSslMode(SslMode.of(ssl));
      if (ssl.equals("require") || ssl.equals("prefer") || ssl.equals("allow")) {
        o.setSslOptions(new ClientSSLOptions().setTrustAll(true)); // libpq semantics: encrypt, do not verify
      }
    }
    Map<String, String> props = new HashMap<>(PgConnectOptions.DEFAULT_PROPERTIES);
    props.put("application_name", "splitbot-worker");
    o.setProperties(props);
    return o;
  }

  @Override
  public Future<Void> start() {
    Future<Void> schema = vertx.executeBlocking(() -> {
      Flyway flyway = Flyway.configure(PgStorage.class.getClassLoader())
          .dataSource(config.jdbcUrl(), user(), config.password())
          .locations("classpath:db/migration")
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load();
      if (readOnly) {
        return null;
      }
      var result = flyway.migrate();
      log.info("PostgreSQL {}: schema at version {} ({} migration(s) applied)", config.describe(),
          result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion,
          result.migrationsExecuted);
      return null;
    }, false);
    return schema
        .recover(e -> {
          String msg = "PostgreSQL at " + config.describe() + ": could not apply the schema migrations: "
              + Redactor.mask(rootMessage(e));
          return Future.failedFuture(transientFailure(e) || e.getCause() instanceof java.sql.SQLTransientException
              || String.valueOf(rootMessage(e)).toLowerCase(java.util.Locale.ROOT).contains("refused")
              ? new StorageUnavailableException(msg, e) : new StorageException(msg, e));
        })
        .compose(v -> {
          pool = PgBuilder.pool()
              .with(new PoolOptions().setMaxSize(config.poolSize()).setName("splitbot-pg")
                  .setShared(false).setConnectionTimeout(15).setIdleTimeout(300))
              .connectingTo(connectOptions())
              .using(vertx)
              .build();
          return pool.preparedQuery("SELECT t FROM unnest($1::text[]) t WHERE to_regclass(t) IS NOT NULL")
              .execute(Tuple.of(Kinds.ALL.stream().map(Kind::name).toArray(String[]::new)))
              .recover(e -> Future.failedFuture(mapError(e, "connect")));
        })
        .compose(rows -> {
          java.util.Set<String> found = new java.util.HashSet<>();
          rows.forEach(r -> found.add(r.getString(0)));
          tables = found;
          if (found.isEmpty()) {
            log.warn("PostgreSQL {} has no splitbot schema yet; reading it as empty", config.describe());
          }
          return Future.<Void>succeededFuture();
        })
        .onFailure(e -> {
          if (pool != null) {
            pool.close();
            pool = null;
          }
        });
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    String msg = String.valueOf(e.getMessage());
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null) {
        msg = t.getMessage();
      }
    }
    return msg;
  }

  @Override
  public Future<Void> close() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  @Override
  public Future<JsonObject> health() {
    if (pool == null) {
      return Future.succeededFuture(new JsonObject().put("backend", "postgresql").put("ok", false)
          .put("database", config.describe()).put("error", "not started"));
    }
    return pool.query("SELECT 1").execute()
        .map(r -> new JsonObject().put("backend", "postgresql").put("ok", true).put("database", config.describe()))
        .recover(e -> Future.succeededFuture(new JsonObject().put("backend", "postgresql").put("ok", false)
            .put("database", config.describe()).put("error", String.valueOf(mapError(e, "health check").getMessage()))));
  }

  /**
   * Turns a driver failure into a storage exception with a clear, secret-free message: unavailable (connection
   * refused or lost, server shutting down, timeouts) or a plain error. Invalid arguments pass through unchanged.
   */
  Throwable mapError(Throwable e, String what) {
    if (e instanceof StorageException || e instanceof IllegalArgumentException) {
      return e;
    }
    if (e instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      String msg = "PostgreSQL at " + config.describe() + ": " + what + " failed: " + Redactor.mask(pg.getErrorMessage())
          + " (SQLSTATE " + state + ")";
      if (state.startsWith("08") || state.startsWith("57P") || state.equals("53300") || state.equals("40001")
          || state.equals("40P01")) {
        return new StorageUnavailableException(msg + "; nothing of this operation was committed, retry later", e);
      }
      return new StorageException(msg, e);
    }
    if (!transientFailure(e)) {
      return new StorageException("PostgreSQL at " + config.describe() + ": " + what + " failed: "
          + Redactor.mask(String.valueOf(rootMessage(e))), e);
    }
    return new StorageUnavailableException("PostgreSQL at " + config.describe() + " is unavailable: " + what
        + " failed (" + Redactor.mask(String.valueOf(rootMessage(e))) + "); nothing of this operation was committed,"
        + " retry when the database is back", e);
  }

  /** Network and connection trouble, as opposed to a bug or a bad statement. */
  static boolean transientFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.io.IOException || t instanceof io.vertx.sqlclient.ClosedConnectionException
          || t instanceof java.util.concurrent.TimeoutException || t instanceof io.vertx.core.VertxException) {
        return true;
      }
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
      if (m.contains("connection") || m.contains("pool closed") || m.contains("timeout") || m.contains("timed out")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isSqlState(Throwable e, String state) {
    return e instanceof PgException pg && state.equals(pg.getSqlState());
  }

  private <R> Future<R> run(String what, Function<SqlClient, Future<R>> body) {
    if (pool == null) {
      return Future.failedFuture(new StorageUnavailableException("PostgreSQL storage is not started"));
    }
    return body.apply(pool).recover(e -> Future.failedFuture(mapError(e, what)));
  }

  private <R> Future<R> tx(String what, Function<SqlConnection, Future<R>> body) {
    if (pool == null) {
      return Future.failedFuture(new StorageUnavailableException("PostgreSQL storage is not started"));
    }
    return pool.withTransaction(body).recover(e -> Future.failedFuture(mapError(e, what)));
  }

  private static <T> List<T> read(RowSet<Row> rows, PgTable<T> table) {
    List<T> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(table.reader.apply(r));
    }
    return out;
  }

  // ------------------------------------------------------------------ users

  private static final String USER_UPSERT = PgTable.USERS.insert
      + " ON CONFLICT (user_id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name,"
      + " username = EXCLUDED.username, language_code = EXCLUDED.language_code,"
      + " profile_source = EXCLUDED.profile_source, profile_last_updated = EXCLUDED.profile_last_updated"
      + " RETURNING " + PgTable.USERS.columns;

  private final UserRepository users = new UserRepository() {
    @Override
    public Future<UserProfile> upsert(UserProfile p) {
      return run("upsert user", c -> c.preparedQuery(USER_UPSERT).execute(PgTable.USERS.params.apply(p))
          .map(rows -> read(rows, PgTable.USERS).get(0)));
    }

    @Override
    public Future<Optional<UserProfile>> find(long userId) {
      return run("find user", c -> c.preparedQuery("SELECT " + PgTable.USERS.columns + " FROM users WHERE user_id = $1")
          .execute(Tuple.of(userId)).map(rows -> read(rows, PgTable.USERS).stream().findFirst()));
    }

    @Override
    public Future<Page<UserProfile>> list(int page, int size) {
      try {
        Page.checkPaging(page, size);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return run("list users", c -> c.query("SELECT count(*) FROM users").execute()
          .compose(count -> c.preparedQuery("SELECT " + PgTable.USERS.columns + " FROM users ORDER BY user_id LIMIT $1 OFFSET $2")
              .execute(Tuple.of(size, (long) page * size))
              .map(rows -> new Page<>(read(rows, PgTable.USERS), page, size, count.iterator().next().getLong(0)))));
    }
  };

  // ------------------------------------------------------------------ requests

  private static final String REQUEST_SELECT = "SELECT " + PgTable.REQUESTS.columns + " FROM requests";
  private static final String REQUEST_FOR_UPDATE = REQUEST_SELECT + " WHERE number = $1 FOR UPDATE";
  private static final String REQUEST_REPLACE = "UPDATE requests SET title = $2, description = $3, address = $4,"
      + " apartment = $5, category = $6, priority = $7, phone = $8, contact_name = $9, is_emergency = $10,"
      + " estimated_cost = $11, preferred_time = $12, status = $13, executor_id = $14, updated_at = $15"
      + " WHERE number = $1";

  private Future<ServiceRequest> lockRequest(SqlConnection conn, String number) {
    return conn.preparedQuery(REQUEST_FOR_UPDATE).execute(Tuple.of(number)).compose(rows -> {
      List<ServiceRequest> found = read(rows, PgTable.REQUESTS);
      return found.isEmpty() ? Future.failedFuture(new NotFoundException("request", number))
          : Future.succeededFuture(found.get(0));
    });
  }

  private static Future<Void> replace(SqlConnection conn, ServiceRequest r) {
    return conn.preparedQuery(REQUEST_REPLACE).execute(Tuple.from(new Object[] {r.number(), r.title(),
        r.description(), r.address(), r.apartment(), r.category(), r.priority(), r.phone(), r.contactName(),
        r.isEmergency(), r.estimatedCost(), PgTable.ts(r.preferredTime()), r.status(), r.executorId(),
        PgTable.ts(r.updatedAt())})).mapEmpty();
  }

  private final RequestRepository requests = new RequestRepository() {
    @Override
    public Future<ServiceRequest> create(ServiceRequest r) {
      StatusChange first = StatusChange.create(r.number(), null, r.status(), r.requesterId(), r.createdAt());
      return tx("create request " + r.number(), conn -> conn.preparedQuery(PgTable.REQUESTS.insert)
          .execute(PgTable.REQUESTS.params.apply(r))
          .recover(e -> Future.failedFuture(isSqlState(e, "23505") ? new DuplicateKeyException("request", r.number()) : e))
          .compose(v -> conn.preparedQuery(PgTable.STATUS_HISTORY.insert).execute(PgTable.STATUS_HISTORY.params.apply(first)))
          .map(v -> r));
    }

    @Override
    public Future<Optional<ServiceRequest>> find(String number) {
      return run("find request", c -> c.preparedQuery(REQUEST_SELECT + " WHERE number = $1").execute(Tuple.of(number))
          .map(rows -> read(rows, PgTable.REQUESTS).stream().findFirst()));
    }

    @Override
    public Future<ServiceRequest> update(ServiceRequest changes) {
      return tx("update request " + changes.number(), conn -> lockRequest(conn, changes.number()).compose(existing -> {
        ServiceRequest updated = Queries.applyEdit(existing, changes);
        return replace(conn, updated).map(updated);
      }));
    }

    @Override
    public Future<ServiceRequest> changeStatus(String number, String expectedFrom, String to, long changedBy) {
      try {
        ServiceRequest.checkStatus(to);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return tx("change status of request " + number, conn -> lockRequest(conn, number).compose(existing -> {
        if (!existing.status().equals(expectedFrom)) {
          return Future.failedFuture(new ConflictException("request " + number + " is " + existing.status() + ", not " + expectedFrom));
        }
        ServiceRequest updated = existing.withStatus(to, Queries.bump(existing.updatedAt()));
        StatusChange change = StatusChange.create(number, expectedFrom, to, changedBy, updated.updatedAt());
        return replace(conn, updated)
            .compose(v -> conn.preparedQuery(PgTable.STATUS_HISTORY.insert).execute(PgTable.STATUS_HISTORY.params.apply(change)))
            .map(updated);
      }));
    }

    @Override
    public Future<ServiceRequest> assign(String number, long executorId, long assignedBy) {
      return tx("assign request " + number, conn -> lockRequest(conn, number).compose(existing -> {
        ServiceRequest updated = existing.withExecutor(executorId, Queries.bump(existing.updatedAt()));
        Assignment a = Assignment.create(number, executorId, assignedBy, updated.updatedAt());
        return replace(conn, updated)
            .compose(v -> conn.preparedQuery(PgTable.ASSIGNMENTS.insert).execute(PgTable.ASSIGNMENTS.params.apply(a)))
            .map(updated);
      }));
    }

    @Override
    public Future<Page<ServiceRequest>> search(String text, String status, int page, int size) {
      List<Object> params = new ArrayList<>();
      StringBuilder where = new StringBuilder(" WHERE true");
      String s = Queries.normaliseStatus(status);
      if (s != null) {
        params.add(s);
        where.append(" AND status = $").append(params.size());
      }
      String t = Queries.normaliseText(text);
      if (t != null) {
        params.add("%" + escapeLike(t) + "%");
        String p = "$" + params.size();
        where.append(" AND (number ILIKE ").append(p).append(" OR title ILIKE ").append(p)
            .append(" OR description ILIKE ").append(p).append(" OR address ILIKE ").append(p)
            .append(" OR contact_name ILIKE ").append(p).append(')');
      }
      return pageOf("search requests", where.toString(), params, page, size);
    }

    @Override
    public Future<Page<ServiceRequest>> listByRequester(long requesterId, int page, int size) {
      return pageOf("list requests", " WHERE requester_id = $1", List.of(requesterId), page, size);
    }

    @Override
    public Future<Page<ServiceRequest>> listByExecutor(long executorId, int page, int size) {
      return pageOf("list requests", " WHERE executor_id = $1", List.of(executorId), page, size);
    }
  };

  static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private Future<Page<ServiceRequest>> pageOf(String what, String where, List<Object> params, int page, int size) {
    try {
      Page.checkPaging(page, size);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    List<Object> pageParams = new ArrayList<>(params);
    pageParams.add(size);
    pageParams.add((long) page * size);
    String sql = REQUEST_SELECT + where + " ORDER BY created_at DESC, number DESC LIMIT $" + (params.size() + 1)
        + " OFFSET $" + (params.size() + 2);
    return run(what, c -> c.preparedQuery("SELECT count(*) FROM requests" + where).execute(Tuple.from(params))
        .compose(count -> c.preparedQuery(sql).execute(Tuple.from(pageParams))
            .map(rows -> new Page<>(read(rows, PgTable.REQUESTS), page, size, count.iterator().next().getLong(0)))));
  }

  // ------------------------------------------------------------------ comments, history

  private final CommentRepository comments = new CommentRepository() {
    @Override
    public Future<Comment> add(Comment c) {
      return run("add comment", cl -> cl.preparedQuery(PgTable.COMMENTS.insert + " ON CONFLICT (id) DO NOTHING")
          .execute(PgTable.COMMENTS.params.apply(c))
          .recover(e -> Future.failedFuture(isSqlState(e, "23503") ? new NotFoundException("request", c.requestNumber()) : e))
          .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture(c)
              : cl.preparedQuery("SELECT " + PgTable.COMMENTS.columns + " FROM comments WHERE id = $1")
                  .execute(Tuple.of(c.id())).map(r -> read(r, PgTable.COMMENTS).get(0))));
    }

    @Override
    public Future<List<Comment>> list(String requestNumber) {
      return run("list comments", c -> c.preparedQuery("SELECT " + PgTable.COMMENTS.columns
          + " FROM comments WHERE request_number = $1 ORDER BY created_at, id").execute(Tuple.of(requestNumber))
          .map(rows -> read(rows, PgTable.COMMENTS)));
    }
  };

  private final HistoryRepository history = new HistoryRepository() {
    @Override
    public Future<List<StatusChange>> statusHistory(String requestNumber) {
      return run("read status history", c -> c.preparedQuery("SELECT " + PgTable.STATUS_HISTORY.columns
          + " FROM status_history WHERE request_number = $1 ORDER BY changed_at, id").execute(Tuple.of(requestNumber))
          .map(rows -> read(rows, PgTable.STATUS_HISTORY)));
    }

    @Override
    public Future<List<Assignment>> assignments(String requestNumber) {
      return run("read assignments", c -> c.preparedQuery("SELECT " + PgTable.ASSIGNMENTS.columns
          + " FROM assignments WHERE request_number = $1 ORDER BY assigned_at, id").execute(Tuple.of(requestNumber))
          .map(rows -> read(rows, PgTable.ASSIGNMENTS)));
    }
  };

  // ------------------------------------------------------------------ conversations, counters, processed updates

  private final ConversationRepository conversations = new ConversationRepository() {
    @Override
    public Future<Optional<ConversationState>> get(String key) {
      return run("read conversation", c -> c.preparedQuery("SELECT " + PgTable.CONVERSATIONS.columns
          + " FROM conversations WHERE key = $1").execute(Tuple.of(key))
          .map(rows -> read(rows, PgTable.CONVERSATIONS).stream().findFirst()));
    }

    @Override
    public Future<ConversationState> put(ConversationState s) {
      ConversationState stamped = new ConversationState(s.key(), s.step(), s.dataJson(), Queries.bump(null));
      return run("save conversation", c -> c.preparedQuery(PgTable.CONVERSATIONS.insert
          + " ON CONFLICT (key) DO UPDATE SET step = EXCLUDED.step, data = EXCLUDED.data,"
          + " updated_at = GREATEST(conversations.updated_at, EXCLUDED.updated_at) RETURNING " + PgTable.CONVERSATIONS.columns)
          .execute(PgTable.CONVERSATIONS.params.apply(stamped)).map(rows -> read(rows, PgTable.CONVERSATIONS).get(0)));
    }

    @Override
    public Future<Boolean> delete(String key) {
      return run("delete conversation", c -> c.preparedQuery("DELETE FROM conversations WHERE key = $1")
          .execute(Tuple.of(key)).map(rows -> rows.rowCount() > 0));
    }
  };

  private final CounterRepository counters = new CounterRepository() {
    @Override
    public Future<Long> nextCounter(String yymmdd) {
      checkDay(yymmdd);
      return run("allocate counter", c -> c.preparedQuery("INSERT INTO counters (day, value) VALUES ($1, 1)"
          + " ON CONFLICT (day) DO UPDATE SET value = counters.value + 1 RETURNING value")
          .execute(Tuple.of(yymmdd)).map(rows -> rows.iterator().next().getLong(0)));
    }

    @Override
    public Future<Void> raiseTo(String yymmdd, long value) {
      checkDay(yymmdd);
      return run("raise counter", c -> c.preparedQuery("INSERT INTO counters (day, value) VALUES ($1, $2)"
          + " ON CONFLICT (day) DO UPDATE SET value = GREATEST(counters.value, EXCLUDED.value)")
          .execute(Tuple.of(yymmdd, value)).mapEmpty());
    }

    @Override
    public Future<Long> current(String yymmdd) {
      checkDay(yymmdd);
      return run("read counter", c -> c.preparedQuery("SELECT value FROM counters WHERE day = $1")
          .execute(Tuple.of(yymmdd)).map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0)));
    }
  };

  private static void checkDay(String day) {
    new io.splitbot.worker.storage.model.DayCounter(day, 0);
  }

  private final ProcessedUpdateRepository processed = new ProcessedUpdateRepository() {
    @Override
    public Future<Boolean> markHandled(long updateId) {
      return run("mark update handled", c -> c.preparedQuery("INSERT INTO processed_updates (update_id, handled_at)"
          + " VALUES ($1, $2) ON CONFLICT (update_id) DO NOTHING")
          .execute(Tuple.of(updateId, PgTable.ts(io.splitbot.worker.storage.model.Values.now())))
          .map(rows -> rows.rowCount() == 1));
    }

    @Override
    public Future<Boolean> isHandled(long updateId) {
      return run("check update", c -> c.preparedQuery("SELECT 1 FROM processed_updates WHERE update_id = $1")
          .execute(Tuple.of(updateId)).map(rows -> rows.size() > 0));
    }

    @Override
    public Future<Long> purgeHandledBefore(Instant cutoff) {
      return run("purge handled updates", c -> c.preparedQuery("DELETE FROM processed_updates WHERE handled_at < $1")
          .execute(Tuple.of(PgTable.ts(cutoff))).map(rows -> (long) rows.rowCount()));
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
    return (RecordStore<T>) stores.computeIfAbsent(kind, k -> new PgRecords<>(PgTable.of(kind)));
  }

  /** A read-only instance reads a table its schema does not have yet (an older database) as empty. */
  private boolean present(PgTable<?> table) {
    return !readOnly || tables.contains(table.kind.name());
  }

  private final class PgRecords<T> implements RecordStore<T> {
    private final PgTable<T> table;

    PgRecords(PgTable<T> table) {
      this.table = table;
    }

    @Override
    public Kind<T> kind() {
      return table.kind;
    }

    @Override
    public Future<List<T>> scan(String prefix, String afterKey, int limit) {
      if (!present(table)) {
        return Future.succeededFuture(List.of());
      }
      StringBuilder sql = new StringBuilder();
      Tuple args = table.scan(prefix, afterKey, limit, sql);
      return run("scan " + table.kind.name(), c -> c.preparedQuery(sql.toString()).execute(args).map(rows -> read(rows, table)));
    }

    @Override
    public Future<Map<String, T>> getAll(Collection<String> keys) {
      if (keys.isEmpty() || !present(table)) {
        return Future.succeededFuture(Map.of());
      }
      return run("read " + table.kind.name(), c -> c.preparedQuery(table.getAll).execute(table.keyArrays(keys))
          .map(rows -> {
            Map<String, T> out = new LinkedHashMap<>();
            for (T t : read(rows, table)) {
              out.put(table.kind.key(t), t);
            }
            return out;
          }));
    }

    @Override
    public Future<Void> putAll(List<T> records, boolean force) {
      if (records.isEmpty()) {
        return Future.succeededFuture();
      }
      if (readOnly) {
        return Future.failedFuture(new StorageException("PostgreSQL storage is open read-only"));
      }
      List<Tuple> batch = records.stream().map(table.params).toList();
      String sql = force ? table.upsertForced : table.upsertGuarded;
      return tx("write " + records.size() + " " + table.kind.name(), conn -> conn.preparedQuery(sql).executeBatch(batch)).mapEmpty();
    }

    @Override
    public Future<Void> deleteAll(Collection<String> keys) {
      if (keys.isEmpty()) {
        return Future.succeededFuture();
      }
      if (readOnly) {
        return Future.failedFuture(new StorageException("PostgreSQL storage is open read-only"));
      }
      return run("delete " + table.kind.name(), c -> c.preparedQuery(table.deleteAll).execute(table.keyArrays(keys)))
          .mapEmpty();
    }

    @Override
    public Future<Long> count() {
      if (!present(table)) {
        return Future.succeededFuture(0L);
      }
      return run("count " + table.kind.name(), c -> c.query(table.count).execute().map(rows -> rows.iterator().next().getLong(0)));
    }
  }
}
