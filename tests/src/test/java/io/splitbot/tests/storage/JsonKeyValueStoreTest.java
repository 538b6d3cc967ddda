package io.splitbot.tests.storage;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import java.nio.file.Files;
import java.nio.file.Path;

/** The key-value contract on the embedded JSON store, a fresh directory per test. */
class JsonKeyValueStoreTest extends StorageKeyValueContract {
  private Path dir;

  @Override
  protected Storage createStorage(boolean empty) throws Exception {
    if (empty) {
      dir = Files.createTempDirectory("splitbot-json-kv-");
    }
    return new JsonStorage(vertx, dir.resolve("storage"), false);
  }

  @Override
  protected void cleanUp() throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
