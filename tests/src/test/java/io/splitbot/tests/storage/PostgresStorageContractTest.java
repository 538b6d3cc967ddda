package io.splitbot.tests.storage;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
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
    StorageConfig config = TestBackends.postgres(database);
    TestBackends.emptyPostgres(vertx, config, database);
    return StorageFactory.create(vertx, config);
  }
}
