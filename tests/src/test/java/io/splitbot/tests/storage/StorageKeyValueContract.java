package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;

import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.Storage;

/** The key-value contract through a {@link Storage} backend ({@code storage.keyValue(name)}). */
abstract class StorageKeyValueContract extends KeyValueStoreContractTest {
  protected Storage storage;
  private boolean openedBefore;

  /** A new, not started storage: empty when {@code empty}, else on the data of the previous one. */
  protected abstract Storage createStorage(boolean empty) throws Exception;

  /** Before the storage is closed at the end of a test: a backend may check what it holds. */
  protected void checkBeforeClose() {
  }

  @Override
  protected void open() throws Exception {
    storage = createStorage(!openedBefore);
    openedBefore = true;
    await(storage.start());
  }

  @Override
  protected void close() {
    checkBeforeClose();
    await(storage.close());
  }

  @Override
  protected KeyValueStore store(String name) {
    return storage.keyValue(name);
  }
}
