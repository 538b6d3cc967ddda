package io.splitbot.tests.storage;

import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract against Airtable, through the fake Airtable API. The fake enforces Airtable's rules; the rate is
 * raised on both sides here so the suite runs quickly (AirtableRulesTest covers 5 requests/s and the 429 wait).
 */
class AirtableStorageContractTest extends StorageContractTest {
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
  protected Storage createStorage() {
    api.clear();
    return StorageFactory.create(vertx, TestBackends.airtable(api));
  }

  @Override
  protected void checkAfterTest() {
    TestBackends.checkAirtableRules(api);
  }
}
