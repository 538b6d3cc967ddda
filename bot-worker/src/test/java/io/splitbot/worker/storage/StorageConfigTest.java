package io.splitbot.worker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.worker.storage.model.Kinds;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageConfigTest {
  private static final Path DATA = Path.of("/tmp/data");

  private static StorageConfig cfg(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return StorageConfig.fromEnv(env, DATA);
  }

  private static String error(String... kv) {
    return assertThrows(ConfigException.class, () -> cfg(kv)).getMessage();
  }

  /** Seed 000's MIGRATION_MODE values, read by their meaning (shared's SeedVariables): where dual storage writes. */
  @Test
  void seed000sMigrationModesChooseTheSideDualStorageWrites() {
    String[] dual = {"STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "postgresql", "DUAL_SECONDARY", "json",
        "DATABASE_URL", "postgresql://u@h/db", "MIGRATION_MODE", null};
    dual[dual.length - 1] = "microservice_only";
    assertEquals("primary_only", cfg(dual).dual().mode());
    dual[dual.length - 1] = "monolith_only";
    assertEquals("secondary_only", cfg(dual).dual().mode());
    dual[dual.length - 1] = "manual"; // seed 003's: when data moves, not where writes go
    assertEquals("dual", cfg(dual).dual().mode());
  }

  /** Seed 003's dual mode: the JSON files and DATABASE_URL, the data moving from JSON (secondary) to PostgreSQL. */
  @Test
  void dualWithADatabaseUrlAndNoSidesIsJsonIntoPostgresql() {
    StorageConfig.Dual d = cfg("STORAGE_BACKEND", "dual", "DATABASE_URL", "postgresql://u@h/db").dual();
    assertEquals("postgresql", d.primary());
    assertEquals("json", d.secondary());
    assertEquals("dual", d.mode());
    assertTrue(d.implicitPair());
    assertFalse(d.autoMigrate());
    assertEquals(50, d.batchSize());
    assertTrue(d.readsSecondaryUntilMigrated(), "the primary misses the old records until they are migrated");

    StorageConfig.Dual explicit = cfg("STORAGE_BACKEND", "dual", "DATABASE_URL", "postgresql://u@h/db",
        "DUAL_PRIMARY", "postgresql", "DUAL_SECONDARY", "json").dual();
    assertFalse(explicit.implicitPair());
    assertFalse(explicit.readsSecondaryUntilMigrated(), "an explicit pair reads its primary, as before");
    assertTrue(cfg("STORAGE_BACKEND", "dual", "DATABASE_URL", "postgresql://u@h/db", "DUAL_PRIMARY", "postgresql",
        "DUAL_SECONDARY", "json", "AUTO_MIGRATE", "true").dual().readsSecondaryUntilMigrated());
    assertFalse(cfg("STORAGE_BACKEND", "dual", "DATABASE_URL", "postgresql://u@h/db", "MIGRATION_MODE", "primary_only")
        .dual().readsSecondaryUntilMigrated(), "one side only: that side is read");
  }

  @Test
  void autoMigrationNeedsDualStorageAndABatchSizeFrom1To1000() {
    StorageConfig.Dual d = cfg("STORAGE_BACKEND", "dual", "DATABASE_URL", "postgresql://u@h/db",
        "MIGRATION_MODE", "auto", "MIGRATION_BATCH_SIZE", "1000").dual();
    assertTrue(d.autoMigrate());
    assertEquals(1000, d.batchSize());
    assertEquals(1, cfg("STORAGE_BACKEND", "dual", "DATABASE_URL", "postgresql://u@h/db", "AUTO_MIGRATE", "true",
        "MIGRATION_BATCH_SIZE", "1").dual().batchSize());

    String notDual = error("DATABASE_URL", "postgresql://u@h/db", "AUTO_MIGRATE", "true");
    assertTrue(notDual.startsWith("AUTO_MIGRATE=true") && notDual.contains("STORAGE_BACKEND=dual"), notDual);
    assertTrue(error("MIGRATION_MODE", "auto").contains("needs STORAGE_BACKEND=dual"));
    String oneSide = error("STORAGE_BACKEND", "dual", "DATABASE_URL", "postgresql://u@h/db", "AUTO_MIGRATE", "true",
        "MIGRATION_MODE", "secondary_only");
    assertTrue(oneSide.startsWith("AUTO_MIGRATE=true needs MIGRATION_MODE=dual"), oneSide);
    for (String bad : new String[] {"0", "1001", "-5", "fifty"}) {
      String line = error("MIGRATION_BATCH_SIZE", bad);
      assertTrue(line.startsWith("MIGRATION_BATCH_SIZE"), line);
      assertFalse(line.contains("\n"), line);
    }
  }

  @Test
  void theRemoteBackendAndSeed000sNamesForIt() {
    StorageConfig remote = cfg("STORAGE_BACKEND", "remote", "REMOTE_STORAGE_URL", "http://requests:8080/",
        "REMOTE_STORAGE_TOKEN", "secret-token-1");
    assertEquals("remote", remote.backend());
    assertEquals("http://requests:8080", remote.remote().url());
    assertEquals("json", remote.remote().local(), "the kinds the remote does not carry stay in a local store");
    assertEquals(10_000, remote.remote().timeoutMs());
    assertFalse(remote.remote().toString().contains("secret-token-1"));

    StorageConfig service = cfg("MIGRATION_MODE", "dual", "MONOLITH_API_URL", "http://localhost:8000",
        "INTERNAL_API_TOKEN", "t", "DATABASE_URL", "postgresql://u@h/db");
    assertEquals(new StorageConfig.Dual("postgresql", "remote", "dual", true, 5000), service.dual());
    assertEquals("http://localhost:8000", service.remote().url());
    StorageConfig bot = cfg("REQUEST_SERVICE_URL", "http://localhost:8002", "REQUEST_SERVICE_TOKEN", "t",
        "USE_REQUEST_SERVICE", "true", "FALLBACK_TO_MONOLITH", "true");
    assertEquals(new StorageConfig.Dual("remote", "json", "dual", true, 5000), bot.dual());

    assertTrue(error("STORAGE_BACKEND", "remote").startsWith("REMOTE_STORAGE_URL is required"));
    assertTrue(error("STORAGE_BACKEND", "remote", "REMOTE_STORAGE_URL", "ftp://x").startsWith("REMOTE_STORAGE_URL must be an http"));
    assertTrue(error("STORAGE_BACKEND", "remote", "REMOTE_STORAGE_URL", "http://x").startsWith("REMOTE_STORAGE_TOKEN is required"));
    assertTrue(error("STORAGE_BACKEND", "remote", "REMOTE_STORAGE_URL", "http://x", "REMOTE_STORAGE_TOKEN", "t",
        "REMOTE_STORAGE_TIMEOUT", "soon").startsWith("REMOTE_STORAGE_TIMEOUT must be a duration"));
    assertTrue(error("STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "airtable", "DUAL_SECONDARY", "remote",
        "REMOTE_STORAGE_URL", "http://x", "REMOTE_STORAGE_TOKEN", "t").startsWith("DUAL_PRIMARY must be json or postgresql next to remote"));
    String contradiction = error("STORAGE_BACKEND", "json", "REQUEST_SERVICE_URL", "http://localhost:8002",
        "REQUEST_SERVICE_TOKEN", "t", "USE_REQUEST_SERVICE", "true");
    assertTrue(contradiction.contains("REQUEST_SERVICE_URL") && contradiction.contains("STORAGE_BACKEND=json"), contradiction);
  }

  @Test
  void defaultsToJsonAndToPostgresqlWhenADatabaseUrlIsSet() {
    StorageConfig json = cfg();
    assertEquals("json", json.backend());
    assertEquals(DATA.resolve("storage"), json.jsonDir());
    assertNull(json.postgres());
    StorageConfig pg = cfg("DATABASE_URL", "postgres://bot:p%40ss@db.example.com/desk?sslmode=require", "DATABASE_POOL_SIZE", "7");
    assertEquals("postgresql", pg.backend());
    assertEquals("db.example.com", pg.postgres().host());
    assertEquals(5432, pg.postgres().port());
    assertEquals("desk", pg.postgres().database());
    assertEquals("bot", pg.postgres().user());
    assertEquals("p@ss", pg.postgres().password());
    assertEquals(7, pg.postgres().poolSize());
    assertEquals("jdbc:postgresql://db.example.com:5432/desk?sslmode=require", pg.postgres().jdbcUrl());
    assertFalse(pg.toString().contains("p@ss"));
    assertEquals("json", cfg("DATABASE_URL", "postgresql://a@h:1/d", "STORAGE_BACKEND", "json").backend());
  }

  @Test
  void badValuesNameTheVariableAndNeverEchoASecret() {
    assertTrue(error("STORAGE_BACKEND", "mongo").startsWith("STORAGE_BACKEND must be one of"));
    String url = error("DATABASE_URL", "mysql://u:hunter2@h/db");
    assertTrue(url.startsWith("DATABASE_URL must look like"), url);
    assertFalse(url.contains("hunter2"), url);
    assertFalse(error("DATABASE_URL", "postgresql://u:hunter2@/db").contains("hunter2"));
    assertTrue(error("DATABASE_URL", "postgresql://u:pw@host:5432/").contains("no database name"));
    assertTrue(error("DATABASE_POOL_SIZE", "zero").startsWith("DATABASE_POOL_SIZE"));
    assertTrue(error("STORAGE_BACKEND", "postgresql").startsWith("DATABASE_URL is required"));
    assertTrue(error("STORAGE_BACKEND", "airtable").startsWith("AIRTABLE_TOKEN is required"));
    assertTrue(error("STORAGE_BACKEND", "airtable", "AIRTABLE_TOKEN", "pat.x").startsWith("AIRTABLE_BASE_ID is required"));
    assertTrue(error("AIRTABLE_TOKEN", "pat x", "AIRTABLE_BASE_ID", "app1").startsWith("AIRTABLE_TOKEN contains"));
    assertTrue(error("AIRTABLE_TOKEN", "pat", "AIRTABLE_BASE_ID", "app1", "AIRTABLE_API_URL", "ftp://x").startsWith("AIRTABLE_API_URL"));
    assertTrue(error("AIRTABLE_TOKEN", "pat", "AIRTABLE_BASE_ID", "app1", "AIRTABLE_RETRY_AFTER_429", "soon").startsWith("AIRTABLE_RETRY_AFTER_429"));
    assertTrue(error("STORAGE_BACKEND", "dual").startsWith("STORAGE_BACKEND=dual needs DATABASE_URL"));
    assertTrue(error("STORAGE_BACKEND", "dual", "DUAL_SECONDARY", "json").startsWith("DUAL_PRIMARY is required"));
    assertTrue(error("STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "json").startsWith("DUAL_SECONDARY is required"));
    assertTrue(error("STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "json", "DUAL_SECONDARY", "json").startsWith("DUAL_SECONDARY must differ"));
    assertTrue(error("STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "json", "DUAL_SECONDARY", "postgresql")
        .startsWith("DATABASE_URL is required for the postgresql backend (DUAL_SECONDARY=postgresql)"));
    assertTrue(error("MIGRATION_MODE", "both").startsWith("MIGRATION_MODE"));
    assertTrue(error("SERVICE_FALLBACK_ENABLED", "maybe").startsWith("SERVICE_FALLBACK_ENABLED"));
  }

  @Test
  void airtableAndDualSettings() {
    StorageConfig a = cfg("STORAGE_BACKEND", "airtable", "AIRTABLE_TOKEN", "patABC.def", "AIRTABLE_BASE_ID", "appXYZ",
        "AIRTABLE_TABLE_REQUESTS", "Заявки", "AIRTABLE_RETRY_AFTER_429", "250ms");
    assertEquals("https://api.airtable.com", a.airtable().apiUrl());
    assertEquals("Заявки", a.airtable().table(DeskKinds.REQUESTS));
    assertEquals("Users", a.airtable().table(Kinds.USERS));
    assertEquals(Map.of("users", "Users", "requests", "Заявки", "comments", "Comments", "status_history", "StatusHistory",
        "assignments", "Assignments", "counters", "Counters", "kv", "KeyValue"), a.airtable().tables(),
        "the tables a base needs, as the README lists them");
    assertEquals(250, a.airtable().retryAfter429Ms());
    assertEquals(30_000, cfg("AIRTABLE_TOKEN", "p", "AIRTABLE_BASE_ID", "b").airtable().retryAfter429Ms());
    assertEquals(5.0, a.airtable().ratePerSecond());
    assertFalse(a.airtable().toString().contains("patABC"));

    StorageConfig d = cfg("STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "JSON", "DUAL_SECONDARY", "postgresql",
        "DATABASE_URL", "postgresql://u@h/db", "MIGRATION_MODE", "primary_only", "SERVICE_FALLBACK_ENABLED", "false");
    assertEquals("json", d.dual().primary());
    assertEquals("postgresql", d.dual().secondary());
    assertEquals("primary_only", d.dual().mode());
    assertFalse(d.dual().fallback());
    assertEquals(5000, d.dual().repairIntervalMs());
    assertEquals(DATA.resolve("dual"), d.dualDir());
    assertTrue(cfg("STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "json", "DUAL_SECONDARY", "postgresql",
        "DATABASE_URL", "postgresql://u@h/db").dual().fallback());
  }
}
