package io.splitbot.desk.storage.remote;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageBackend;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * STORAGE_BACKEND=remote (or a dual side): the desk's requests with their comments, status history and assignments
 * in another worker's request service, at REMOTE_STORAGE_URL. Request numbers are made where a request is created,
 * so the day counters stay local, with the users, sessions and key-value stores.
 */
public final class RemoteBackend implements StorageBackend {
  public static final String NAME = "remote";
  /** The request service's endpoint for stored records. */
  public static final String RECORDS_PATH = "/api/v1/bot/records";
  public static final List<Kind<?>> KINDS = List.of(DeskKinds.REQUESTS, DeskKinds.COMMENTS, DeskKinds.STATUS_HISTORY,
      DeskKinds.ASSIGNMENTS);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Kind<?>> kinds() {
    return KINDS;
  }

  @Override
  public Storage create(Vertx vertx, StorageConfig config) {
    return new RemoteStorage(vertx, config.remote());
  }
}
