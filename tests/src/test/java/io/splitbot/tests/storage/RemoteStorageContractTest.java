package io.splitbot.tests.storage;

import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;

/**
 * The contract against the remote backend: the requests and their children in another desk worker (its own JSON
 * store, a fresh one per test) through its records endpoint, everything else in a local JSON store.
 */
class RemoteStorageContractTest extends StorageContractTest {
  private Vertx service;

  @Override
  protected Storage createStorage() throws Exception {
    service = Vertx.vertx();
    DeskHarness desk = DeskHarness.withApi(service, "remote-contract-service", Map.of());
    Path local = TestEnv.tempDir("remote-contract-local");
    StorageConfig config = StorageConfig.fromEnv(Map.of("STORAGE_BACKEND", "remote",
        "REMOTE_STORAGE_URL", "http://127.0.0.1:" + desk.workerPort(), "REMOTE_STORAGE_TOKEN", ApiClient.TOKEN), local);
    return StorageFactory.create(vertx, config);
  }

  @Override
  protected void afterTest() throws Exception {
    service.close().await();
  }
}
