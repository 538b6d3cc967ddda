package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;

import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The configurations the storage suites run on, and how each is emptied between tests. */
final class TestBackends {
  private TestBackends() {
  }

  static StorageConfig postgres(String database) {
    return StorageConfig.fromEnv(Map.of("DATABASE_URL", PgDatabases.url(database), "DATABASE_POOL_SIZE", "4"),
        Path.of("unused"));
  }

  /** json primary, postgresql secondary, the JSON store and the repair queue under {@code dataDir}. */
  static StorageConfig dual(String database, Path dataDir) {
    return StorageConfig.fromEnv(Map.of("STORAGE_BACKEND", "dual", "DUAL_PRIMARY", "json", "DUAL_SECONDARY",
        "postgresql", "DATABASE_URL", PgDatabases.url(database), "DATABASE_POOL_SIZE", "4"), dataDir);
  }

  /** The airtable backend on the fake, with the rate raised so a suite runs quickly. */
  static StorageConfig airtable(FakeAirtableApi api) {
    Map<String, String> env = new HashMap<>(AirtableEnv.env(api));
    env.put("AIRTABLE_RATE_LIMIT", "60");
    return StorageConfig.fromEnv(env, Path.of("unused"));
  }

  /** Applies the schema (a first start does) and empties every table of {@code database}. */
  static void emptyPostgres(Vertx vertx, StorageConfig config, String database) throws Exception {
    Storage pg = StorageFactory.plain(vertx, config, "postgresql", false);
    await(pg.start());
    PgDatabases.truncate(PgDatabases.HOST, PgDatabases.PORT, database);
    await(pg.close());
  }

  /** Fails when the fake refused a request that breaks Airtable's rules. */
  static void checkAirtableRules(FakeAirtableApi api) {
    if (!api.rejectedStatuses().isEmpty()) {
      throw new AssertionError("the fake refused requests that break Airtable's rules: " + api.rejectedStatuses()
          + "; formulas: " + api.formulas());
    }
  }
}
