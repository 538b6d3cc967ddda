package io.splitbot.tests.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.consistency.ValidationReport;
import io.splitbot.worker.storage.dual.DualStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract through the dual backend (json primary, postgresql secondary), and after every test both sides
 * hold exactly the same records with nothing left to repair.
 */
class DualStorageContractTest extends StorageContractTest {
  private static String database;
  private Path dir;

  @BeforeAll
  static void createDatabase() throws Exception {
    database = PgDatabases.create("splitbot_dual_contract");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    PgDatabases.drop(database);
  }

  @Override
  protected Storage createStorage() throws Exception {
    dir = Files.createTempDirectory("splitbot-dual-contract-");
    StorageConfig config = TestBackends.dual(database, dir);
    TestBackends.emptyPostgres(vertx, config, database);
    return StorageFactory.create(vertx, config);
  }

  @Override
  protected void checkAfterTest() {
    DualStorage dual = (DualStorage) storage;
    assertEquals(0, await(dual.drainNow()), "nothing left to repair: " + dual.stats());
    ValidationReport report = await(dual.checker().validate(null, 100, 20, io.splitbot.worker.storage.consistency.Progress.NONE));
    assertTrue(report.consistent(), () -> "primary and secondary differ:\n" + report.render());
    assertEquals(100.0, report.integrity());
  }

  @Override
  protected void afterTest() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
