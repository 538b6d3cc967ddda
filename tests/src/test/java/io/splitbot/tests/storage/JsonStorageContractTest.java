package io.splitbot.tests.storage;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import java.nio.file.Files;
import java.nio.file.Path;

/** The contract against the embedded JSON store, a fresh directory per test. */
class JsonStorageContractTest extends StorageContractTest {
  private Path dir;

  @Override
  protected Storage createStorage() throws Exception {
    dir = Files.createTempDirectory("splitbot-json-contract-");
    return new JsonStorage(vertx, dir.resolve("storage"), false);
  }

  @Override
  protected void afterTest() throws Exception {
    // what is on disk must load again and hold the same records
    JsonStorage reopened = new JsonStorage(vertx, dir.resolve("storage"), true);
    await(reopened.start());
    await(reopened.close());
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
