package io.splitbot.tests.storage;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract against PostgreSQL: a database of its own, emptied before each test. */
class PostgresStorageContractTest extends StorageContractTest {
  private static String database;

  @BeforeAll
  static void createDatabase() throws Exception {
    database = PgDatabases.create("splitbot_contract");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    PgDatabases.drop(database);
  }

  @Override
  protected Storage createStorage() throws Exception {
    StorageConfig config = StorageConfig.fromEnv(Map.of("DATABASE_URL", PgDatabases.url(database),
        "DATABASE_POOL_SIZE", "4"), Path.of("unused"));
    Storage s = StorageFactory.create(vertx, config);
    await(s.start()); // the schema exists before it is emptied
    PgDatabases.truncate(PgDatabases.HOST, PgDatabases.PORT, database);
    await(s.close());
    return StorageFactory.create(vertx, config);
  }
}
