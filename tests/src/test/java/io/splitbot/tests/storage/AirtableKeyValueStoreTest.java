package io.splitbot.tests.storage;

import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The key-value contract on Airtable through the fake API, which refuses whatever breaks Airtable's rules. */
class AirtableKeyValueStoreTest extends StorageKeyValueContract {
  static FakeAirtableApi api;

  @BeforeAll
  static void startFake() {
    api = FakeAirtableApi.start(vertx, AirtableEnv.TABLES).await().rateLimit(80, 500);
  }

  @AfterAll
  static void stopFake() {
    api.close();
  }

  @Override
  protected Storage createStorage(boolean empty) {
    if (empty) {
      api.clear();
    }
    return StorageFactory.create(vertx, TestBackends.airtable(api));
  }

  @Override
  protected void checkBeforeClose() {
    TestBackends.checkAirtableRules(api);
  }
}
