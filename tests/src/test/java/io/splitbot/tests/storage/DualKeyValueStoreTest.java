package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.consistency.Progress;
import io.splitbot.worker.storage.consistency.ValidationReport;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.worker.storage.model.Kinds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The key-value contract through dual-write (json primary, postgresql secondary); before every close both sides
 * hold the same entries with nothing left to repair.
 */
class DualKeyValueStoreTest extends StorageKeyValueContract {
  private static String database;
  private Path dir;

  @BeforeAll
  static void createDatabase() throws Exception {
    database = PgDatabases.create("splitbot_dual_kv");
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    PgDatabases.drop(database);
  }

  @Override
  protected Storage createStorage(boolean empty) throws Exception {
    if (empty) {
      dir = Files.createTempDirectory("splitbot-dual-kv-");
    }
    StorageConfig config = TestBackends.dual(database, dir);
    if (empty) {
      TestBackends.emptyPostgres(vertx, config, database);
    }
    return StorageFactory.create(vertx, config);
  }

  @Override
  protected void checkBeforeClose() {
    DualStorage dual = (DualStorage) storage;
    assertEquals(0, await(dual.drainNow()), "nothing left to repair: " + dual.stats());
    ValidationReport report = await(dual.checker().validate(List.of(Kinds.KEY_VALUE), 100, 20, Progress.NONE));
    assertTrue(report.consistent(), () -> "primary and secondary differ:\n" + report.render());
  }

  @Override
  protected void cleanUp() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
