package io.splitbot.worker.storage.postgres;

import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.KindStore;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.RecordStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.Tx.Ref;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
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
  /** Per kind, the fields with a default its table lacks (a read-only older schema); empty when it has them all. */
  private volatile Map<String, java.util.Set<String>> absent = Map.of();

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

  /** Any 64-bit number of our own: the advisory lock that lets one worker at a time migrate a database. */
  private static final long MIGRATION_LOCK = 0x5350_4C49_5442_4F54L;

  /**
   * Workers starting together on a fresh database would each try to create the schema history, and all but one fail.
   * A session advisory lock makes them take turns: the later ones find the schema up to date.
   */
  private MigrateResult migrateAlone(Flyway flyway) throws SQLException {
    try (Connection lock = DriverManager.getConnection(config.jdbcUrl(), user(), config.password());
        Statement statement = lock.createStatement()) {
      statement.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      try {
        return flyway.migrate();
      } finally {
        statement.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    }
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
      var result = migrateAlone(flyway);
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
              .execute(Tuple.of(Kinds.all().stream().map(Kind::name).toArray(String[]::new)))
              .recover(e -> Future.failedFuture(mapError(e, "connect")));
        })
        .compose(rows -> {
          java.util.Set<String> found = new java.util.HashSet<>();
          rows.forEach(r -> found.add(r.getString(0)));
          tables = found;
          if (found.isEmpty()) {
            log.warn("PostgreSQL {} has no splitbot schema yet; reading it as empty", config.describe());
          }
          return readOnly ? findAbsentColumns(found) : Future.<Void>succeededFuture();
        })
        .onFailure(e -> {
          if (pool != null) {
            pool.close();
            pool = null;
          }
        });
  }

  /**
   * A read-only source may have an older schema (a worker that ran before users had a platform): note the fields
   * with a default its tables lack, which are then read as that default.
   */
  private Future<Void> findAbsentColumns(java.util.Set<String> present) {
    return pool.preparedQuery("SELECT table_name, column_name FROM information_schema.columns"
            + " WHERE table_schema = current_schema() AND table_name = ANY($1)")
        .execute(Tuple.of(present.toArray(String[]::new)))
        .recover(e -> Future.failedFuture(mapError(e, "read the schema")))
        .map(rows -> {
          Map<String, java.util.Set<String>> columns = new HashMap<>();
          rows.forEach(r -> columns.computeIfAbsent(r.getString(0), t -> new java.util.HashSet<>()).add(r.getString(1)));
          Map<String, java.util.Set<String>> lacking = new HashMap<>();
          for (Kind<?> k : Kinds.all()) {
            java.util.Set<String> has = columns.get(k.name());
            if (has != null) {
              java.util.Set<String> missing = new java.util.HashSet<>(k.defaults().keySet());
              missing.removeAll(has);
              if (!missing.isEmpty()) {
                log.info("PostgreSQL {}: table {} has no column {} (an older schema); read as {}", config.describe(),
                    k.name(), missing, k.defaults());
                lacking.put(k.name(), missing);
              }
            }
          }
          absent = lacking;
          return null;
        });
  }

  private <T> PgTable<T> table(Kind<T> kind) {
    return PgTable.withAbsent(kind, absent.getOrDefault(kind.name(), java.util.Set.of()));
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
      out.add(table.read(r));
    }
    return out;
  }

  // ------------------------------------------------------------------ atomic changes

  /**
   * A lock on a key, held to the end of the transaction, whether or not its row exists yet: two changes that read
   * the same absent record (the first counter of a day) run one after the other.
   */
  private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))";

  /** One transaction: the reads lock their keys and rows, the writes follow in order. */
  @Override
  public <R> Future<Tx.Done<R>> apply(List<Tx.Ref> reads, Function<Tx, R> body) {
    if (readOnly) {
      return Future.failedFuture(new StorageException("PostgreSQL storage is open read-only"));
    }
    Ref root = reads.get(0);
    return tx("change " + root.kind().name() + " " + root.key(), conn -> Tx.run(reads, r -> {
      PgTable<?> t = table(r.kind());
      return conn.preparedQuery(LOCK).execute(Tuple.of(r.kind().name() + "/" + r.key()))
          .compose(v -> conn.preparedQuery(t.forUpdate).execute(t.keyArrays(List.of(r.key()))))
          .map(rows -> read(rows, t).stream().findFirst().orElse(null));
    }, body, w -> write(conn, w)));
  }

  @SuppressWarnings("unchecked")
  private <T> Future<Void> write(SqlConnection conn, Tx.Write w) {
    PgTable<T> t = table((Kind<T>) w.kind());
    if (w.record() == null) {
      return conn.preparedQuery(t.deleteAll).execute(t.keyArrays(List.of(w.key()))).mapEmpty();
    }
    return conn.preparedQuery(w.insert() ? t.insert : t.upsertForced).execute(t.params((T) w.record()))
        .recover(e -> Future.failedFuture(isSqlState(e, "23505") ? new DuplicateKeyException(w.kind().name(), w.key()) : e))
        .mapEmpty();
  }

  // ------------------------------------------------------------------ generic records

  @Override
  public <T> RecordStore<T> records(Kind<T> kind) {
    return new PgRecords<>(kind);
  }

  /** A read-only instance reads a table its schema does not have yet (an older database) as empty. */
  private boolean present(PgTable<?> table) {
    return !readOnly || tables.contains(table.kind.name());
  }

  private final class PgRecords<T> extends KindStore<T> {
    private final PgTable<T> table;

    PgRecords(Kind<T> kind) {
      super(kind);
      this.table = table(kind);
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
      List<Tuple> batch = records.stream().map(table::params).toList();
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

    /** In SQL: the filter, the order and (for a page) LIMIT and OFFSET, with a count of all matches. */
    @Override
    public Future<List<T>> find(Query query) {
      if (!present(table)) {
        return Future.succeededFuture(List.of());
      }
      List<Object> args = new ArrayList<>();
      String sql = "SELECT " + table.columns + " FROM " + table.kind.name() + table.where(query, args) + table.orderBy(query);
      return run("find " + table.kind.name(), c -> c.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> read(rows, table)));
    }

    @Override
    public Future<Page<T>> page(Query query, int page, int size) {
      return Page.fetched(page, size, () -> pageOf(query, page, size));
    }

    private Future<Page<T>> pageOf(Query query, int page, int size) {
      if (!present(table)) {
        return Future.succeededFuture(new Page<>(List.of(), page, size, 0));
      }
      List<Object> args = new ArrayList<>();
      String where = table.where(query, args);
      List<Object> pageArgs = new ArrayList<>(args);
      pageArgs.add(size);
      pageArgs.add((long) page * size);
      String sql = "SELECT " + table.columns + " FROM " + table.kind.name() + where + table.orderBy(query)
          + " LIMIT $" + (args.size() + 1) + " OFFSET $" + (args.size() + 2);
      return run("page " + table.kind.name(), c -> c.preparedQuery(table.count + where).execute(Tuple.from(args))
          .compose(count -> c.preparedQuery(sql).execute(Tuple.from(pageArgs))
              .map(rows -> new Page<>(read(rows, table), page, size, count.iterator().next().getLong(0)))));
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
