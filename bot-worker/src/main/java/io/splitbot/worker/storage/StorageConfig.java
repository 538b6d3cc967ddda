package io.splitbot.worker.storage;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Env;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Storage settings, read from environment variables in this one place and validated at start-up. A bad value throws
 * {@link ConfigException} with one line naming the variable; secrets are never echoed.
 *
 * @param backend json, postgresql, airtable, remote or dual
 * @param dataDir DATA_DIR; the JSON store lives in {@code dataDir/storage}, the dual repair queue in {@code dataDir/dual}
 * @param postgres null when DATABASE_URL is unset
 * @param airtable null when neither AIRTABLE_TOKEN nor AIRTABLE_BASE_ID is set
 * @param dual null unless backend is dual
 * @param remote null unless REMOTE_STORAGE_URL is set
 */
public record StorageConfig(String backend, Path dataDir, Postgres postgres, Airtable airtable, Dual dual,
    Remote remote) {

  public static final Set<String> BACKENDS = Set.of("json", "postgresql", "airtable", "remote", "dual");
  /** What one side of dual storage, or of the migration CLI, can be. */
  public static final Set<String> SIDES = Set.of("json", "postgresql", "airtable", "remote");
  public static final Set<String> MODES = Set.of("dual", "primary_only", "secondary_only");
  public static final String DEFAULT_AIRTABLE_URL = "https://api.airtable.com";

  /** PostgreSQL connection from DATABASE_URL. */
  public record Postgres(String host, int port, String database, String user, String password,
      Map<String, String> params, int poolSize) {
    public Postgres {
      params = Map.copyOf(params);
    }

    public String jdbcUrl() {
      StringBuilder b = new StringBuilder("jdbc:postgresql://").append(host.contains(":") ? "[" + host + "]" : host)
          .append(':').append(port).append('/').append(database);
      String sep = "?";
      for (Map.Entry<String, String> e : new java.util.TreeMap<>(params).entrySet()) {
        b.append(sep).append(e.getKey()).append('=').append(e.getValue());
        sep = "&";
      }
      return b.toString();
    }

    /** host:port/db, safe to log. */
    public String describe() {
      return host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
      return "Postgres[" + (user == null ? "" : user + ":***@") + describe() + ", pool=" + poolSize + "]";
    }
  }

  /** Airtable base, token and the table of each record kind. */
  public record Airtable(String token, String baseId, String apiUrl, Map<String, String> tables,
      double ratePerSecond, long retryAfter429Ms, int maxRetries, long timeoutMs) {
    public Airtable {
      tables = Map.copyOf(tables);
    }

    public String table(Kind<?> kind) {
      return tables.get(kind.name());
    }

    @Override
    public String toString() {
      return "Airtable[token=" + (token == null ? "unset" : "***") + ", base=" + baseId + ", api=" + apiUrl
          + ", tables=" + tables + "]";
    }
  }

  /**
   * Another worker's request service (or the seed's monolith) as a backend: its base URL (the internal API is under
   * {@code /api/v1} there), the bearer token it expects, how long one call may take, and the plain backend that keeps the kinds it does not
   * carry when it is not one side of dual storage.
   */
  public record Remote(String url, String token, long timeoutMs, String local) {
    @Override
    public String toString() {
      return "Remote[url=" + url + ", token=" + (token == null ? "unset" : "***") + ", timeout=" + timeoutMs
          + "ms, local=" + local + "]";
    }
  }

  /**
   * Dual-write settings.
   *
   * @param autoMigrate AUTO_MIGRATE (MIGRATION_MODE=auto): the worker migrates secondary to primary at start
   * @param batchSize MIGRATION_BATCH_SIZE: records per batch of that migration
   * @param implicitPair neither DUAL_PRIMARY nor DUAL_SECONDARY was set: seed 003's JSON files plus DATABASE_URL
   */
  public record Dual(String primary, String secondary, String mode, boolean fallback, long repairIntervalMs,
      boolean autoMigrate, int batchSize, boolean implicitPair) {

    /** Explicit sides, no migration at start: the settings before auto migration existed. */
    public Dual(String primary, String secondary, String mode, boolean fallback, long repairIntervalMs) {
      this(primary, secondary, mode, fallback, repairIntervalMs, false, DEFAULT_BATCH_SIZE, false);
    }

    /**
     * Reads come from the secondary until a migration into the primary has been validated at 100% (the marker):
     * the primary is where the data goes, so before that it misses the old records. In MIGRATION_MODE=dual, with auto
     * migration or the implicit pair; an explicit pair without auto migration reads the primary as it always has.
     */
    public boolean readsSecondaryUntilMigrated() {
      return mode.equals("dual") && (autoMigrate || implicitPair);
    }
  }

  public static final int DEFAULT_BATCH_SIZE = 50;

  /** The variable that names each kind's Airtable table, and its default. */
  public static final Map<String, String[]> AIRTABLE_TABLE_VARS = tableVars();

  /** AIRTABLE_TABLE_&lt;KIND&gt;, defaulting to the kind's own table name (AIRTABLE_TABLE_KV: KeyValue). */
  private static Map<String, String[]> tableVars() {
    Map<String, String[]> m = new LinkedHashMap<>();
    for (Kind<?> k : Kinds.all()) {
      m.put(k.name(), new String[] {"AIRTABLE_TABLE_" + k.name().toUpperCase(java.util.Locale.ROOT), k.airtableTable()});
    }
    return m;
  }

  public static StorageConfig fromEnv(Map<String, String> vars, Path dataDir) {
    Env env = new Env(vars);
    Postgres postgres = env.isSet("DATABASE_URL")
        ? parseDatabaseUrl(env.secret("DATABASE_URL"), env.integer("DATABASE_POOL_SIZE", 5, 1, 200))
        : null;
    if (postgres == null) {
      env.integer("DATABASE_POOL_SIZE", 5, 1, 200); // still validated
    }
    String backend = env.oneOf("STORAGE_BACKEND", postgres != null ? "postgresql" : "json", BACKENDS);

    Airtable airtable = null;
    if (env.isSet("AIRTABLE_TOKEN") || env.isSet("AIRTABLE_BASE_ID")) {
      String baseId = env.string("AIRTABLE_BASE_ID", null);
      if (baseId != null && !baseId.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new ConfigException("AIRTABLE_BASE_ID must be a base id like appXXXXXXXXXXXXXX, got '" + baseId + "'");
      }
      String token = env.secret("AIRTABLE_TOKEN");
      if (token != null && token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new ConfigException("AIRTABLE_TOKEN contains spaces or non-ASCII characters");
      }
      Map<String, String> tables = new LinkedHashMap<>();
      for (Map.Entry<String, String[]> e : AIRTABLE_TABLE_VARS.entrySet()) {
        String name = env.string(e.getValue()[0], e.getValue()[1]);
        if (name.contains("/")) {
          throw new ConfigException(e.getValue()[0] + " must be a table name or id without '/', got '" + name + "'");
        }
        tables.put(e.getKey(), name);
      }
      airtable = new Airtable(token, baseId,
          env.httpUrl("AIRTABLE_API_URL", DEFAULT_AIRTABLE_URL),
          tables,
          env.decimal("AIRTABLE_RATE_LIMIT", 5, 0.1, 1000),
          millis(env, "AIRTABLE_RETRY_AFTER_429", "30s"),
          env.integer("AIRTABLE_MAX_RETRIES", 3, 0, 100),
          millis(env, "AIRTABLE_TIMEOUT", "30s"));
    }

    Remote remote = null;
    if (env.isSet("REMOTE_STORAGE_URL")) {
      String url = env.httpUrl("REMOTE_STORAGE_URL", null);
      String token = env.secret("REMOTE_STORAGE_TOKEN");
      if (token == null) {
        throw new ConfigException("REMOTE_STORAGE_TOKEN is required with REMOTE_STORAGE_URL (the remote's INTERNAL_API_TOKEN)");
      }
      if (token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
        throw new ConfigException("REMOTE_STORAGE_TOKEN contains spaces or non-ASCII characters");
      }
      remote = new Remote(url, token,
          millis(env, "REMOTE_STORAGE_TIMEOUT", "10s"), postgres != null ? "postgresql" : "json");
    }

    boolean autoMigrate = env.bool("AUTO_MIGRATE", false);
    int batchSize = env.integer("MIGRATION_BATCH_SIZE", DEFAULT_BATCH_SIZE, 1, 1000);
    Dual dual = null;
    if (backend.equals("dual")) {
      boolean implicitPair = !env.isSet("DUAL_PRIMARY") && !env.isSet("DUAL_SECONDARY");
      String primary;
      String secondary;
      if (implicitPair) {
        // seed 003's dual mode: the JSON files and DATABASE_URL, the data moving from the first to the second
        if (postgres == null) {
          throw new ConfigException("STORAGE_BACKEND=dual needs DATABASE_URL (dual is then JSON + PostgreSQL), "
              + "or DUAL_PRIMARY and DUAL_SECONDARY (json, postgresql, airtable or remote)");
        }
        primary = "postgresql";
        secondary = "json";
      } else {
        if (!env.isSet("DUAL_PRIMARY")) {
          throw new ConfigException("DUAL_PRIMARY is required when STORAGE_BACKEND=dual (json, postgresql, airtable or remote)");
        }
        if (!env.isSet("DUAL_SECONDARY")) {
          throw new ConfigException("DUAL_SECONDARY is required when STORAGE_BACKEND=dual (json, postgresql, airtable or remote)");
        }
        primary = env.oneOf("DUAL_PRIMARY", null, SIDES);
        secondary = env.oneOf("DUAL_SECONDARY", null, SIDES);
      }
      if (primary.equals(secondary)) {
        throw new ConfigException("DUAL_SECONDARY must differ from DUAL_PRIMARY, both are '" + primary + "'");
      }
      if (primary.equals("remote") || secondary.equals("remote")) {
        // the remote keeps users, sessions and counters in the other side (RoutedStorage); that must be a local store
        String other = primary.equals("remote") ? secondary : primary;
        if (other.equals("airtable")) {
          throw new ConfigException("DUAL_" + (primary.equals("remote") ? "SECONDARY" : "PRIMARY")
              + " must be json or postgresql next to remote (it keeps what the remote does not carry), got 'airtable'");
        }
      }
      String mode = env.oneOf("MIGRATION_MODE", "dual", MODES);
      if (autoMigrate && !mode.equals("dual")) {
        throw new ConfigException("AUTO_MIGRATE=true needs MIGRATION_MODE=dual (writes to both sides while the data "
            + "moves), got MIGRATION_MODE=" + mode);
      }
      dual = new Dual(primary, secondary, mode,
          env.bool("SERVICE_FALLBACK_ENABLED", true),
          millis(env, "DUAL_REPAIR_INTERVAL", "5s"), autoMigrate, batchSize, implicitPair);
    } else {
      env.oneOf("MIGRATION_MODE", "dual", MODES);
      env.bool("SERVICE_FALLBACK_ENABLED", true);
      if (autoMigrate) {
        throw new ConfigException("AUTO_MIGRATE=true (MIGRATION_MODE=auto) needs STORAGE_BACKEND=dual: it migrates "
            + "the secondary into the primary, got STORAGE_BACKEND=" + backend);
      }
    }

    StorageConfig config = new StorageConfig(backend, dataDir, postgres, airtable, dual, remote);
    if (dual != null) {
      config.require(dual.primary(), "DUAL_PRIMARY");
      config.require(dual.secondary(), "DUAL_SECONDARY");
    } else {
      config.require(backend, "STORAGE_BACKEND");
    }
    return config;
  }

  /**
   * The backends' settings alone, for a tool that picks its sides itself (the migration CLI's --from and --to):
   * STORAGE_BACKEND and the migration's mode and timing play no part there.
   */
  public static StorageConfig sidesOnly(Map<String, String> vars, Path dataDir) {
    Map<String, String> sides = new java.util.HashMap<>(vars);
    sides.remove("STORAGE_BACKEND");
    sides.remove("MIGRATION_MODE");
    sides.remove("AUTO_MIGRATE");
    return fromEnv(sides, dataDir);
  }

  /**
   * Checks that the settings of a plain backend are present.
   *
   * @param why the variable (or CLI option) that selected the backend, for the message
   */
  public StorageConfig require(String plainBackend, String why) {
    switch (plainBackend) {
      case "json":
        break;
      case "postgresql":
        if (postgres == null) {
          throw new ConfigException("DATABASE_URL is required for the postgresql backend (" + why + "=postgresql), "
              + "e.g. postgresql://user:pass@host:5432/db");
        }
        break;
      case "airtable":
        if (airtable == null || airtable.token() == null) {
          throw new ConfigException("AIRTABLE_TOKEN is required for the airtable backend (" + why + "=airtable)");
        }
        if (airtable.baseId() == null) {
          throw new ConfigException("AIRTABLE_BASE_ID is required for the airtable backend (" + why + "=airtable)");
        }
        break;
      case "remote":
        if (remote == null) {
          throw new ConfigException("REMOTE_STORAGE_URL is required for the remote backend (" + why + "=remote), "
              + "the request service's address, e.g. http://requests:8080");
        }
        require(remote.local(), why + "=remote's local store");
        break;
      case "dual":
        if (dual == null) {
          throw new ConfigException(why + "=dual needs DUAL_PRIMARY and DUAL_SECONDARY");
        }
        break;
      default:
        throw new ConfigException(why + " must be one of json, postgresql, airtable, remote, got '" + plainBackend + "'");
    }
    return this;
  }

  /** The same settings with another plain backend selected (the CLI opens each side this way). */
  public StorageConfig withBackend(String plainBackend) {
    return new StorageConfig(plainBackend, dataDir, postgres, airtable, null, remote);
  }

  public StorageConfig withDataDir(Path dir) {
    return new StorageConfig(backend, dir, postgres, airtable, dual, remote);
  }

  /** Where the JSON store keeps its files. */
  public Path jsonDir() {
    return dataDir.resolve("storage");
  }

  /** Where the dual backend keeps its repair queue. */
  public Path dualDir() {
    return dataDir.resolve("dual");
  }

  // ---- parsing helpers ----

  static Postgres parseDatabaseUrl(String url, int poolSize) {
    String shape = "DATABASE_URL must look like postgresql://user:pass@host:5432/db";
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException(shape + " (it is not a valid URL)");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
      throw new ConfigException(shape + " (scheme must be postgresql:// or postgres://)");
    }
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      throw new ConfigException(shape + " (no host)");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String database = percentDecode(path.startsWith("/") ? path.substring(1) : path);
    if (database.isBlank() || database.contains("/")) {
      throw new ConfigException(shape + " (no database name after the host)");
    }
    String user = null;
    String password = null;
    String info = uri.getRawUserInfo();
    if (info != null && !info.isEmpty()) {
      int colon = info.indexOf(':');
      user = percentDecode(colon < 0 ? info : info.substring(0, colon));
      password = colon < 0 ? null : percentDecode(info.substring(colon + 1));
    }
    Map<String, String> params = new LinkedHashMap<>();
    String query = uri.getRawQuery();
    if (query != null && !query.isBlank()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String k = percentDecode(eq < 0 ? pair : pair.substring(0, eq));
        String v = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
        if (k.equalsIgnoreCase("password") || k.equalsIgnoreCase("user")) {
          throw new ConfigException("DATABASE_URL: put the user and password before the host, not in the query");
        }
        if (k.equals("sslmode") && !Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full").contains(v)) {
          throw new ConfigException("DATABASE_URL: sslmode must be disable, allow, prefer, require, verify-ca or verify-full, got '" + v + "'");
        }
        params.put(k, v);
      }
    }
    int port = uri.getPort() == -1 ? 5432 : uri.getPort();
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
    return new Postgres(host, port, database, user, password, params, poolSize);
  }

  private static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length) {
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      out.write(bytes[i]);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A duration like 500ms, 30s, 2m or 1h in milliseconds; plain digits are seconds. */
  static long millis(Env env, String name, String fallback) {
    String v = env.string(name, fallback).toLowerCase(Locale.ROOT);
    String err = name + " must be a duration like 500ms, 30s, 2m or 1h, got '" + env.string(name, fallback) + "'";
    long unit;
    String digits;
    if (v.endsWith("ms")) {
      unit = 1;
      digits = v.substring(0, v.length() - 2);
    } else if (v.endsWith("s")) {
      unit = 1000;
      digits = v.substring(0, v.length() - 1);
    } else if (v.endsWith("m")) {
      unit = 60_000;
      digits = v.substring(0, v.length() - 1);
    } else if (v.endsWith("h")) {
      unit = 3_600_000;
      digits = v.substring(0, v.length() - 1);
    } else {
      unit = 1000;
      digits = v;
    }
    if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(Character::isDigit)) {
      throw new ConfigException(err);
    }
    return Long.parseLong(digits) * unit;
  }
}
