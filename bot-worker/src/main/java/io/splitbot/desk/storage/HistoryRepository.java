package io.splitbot.desk.storage;

import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.Storage;
import io.vertx.core.Future;
import java.util.List;

/** Read side of the status history and the assignments; entries are written by {@link RequestRepository}. */
public final class HistoryRepository {
  private final Storage storage;

  HistoryRepository(Storage storage) {
    this.storage = storage;
  }

  /** The entries of one request, oldest first (ties in the order they were written). */
  static Query of(String requestNumber, String timeField) {
    return Query.all().eq("request_number", requestNumber).orderBy(timeField, false).orderBy("id", false);
  }

  /** Oldest first. */
  public Future<List<StatusChange>> statusHistory(String requestNumber) {
    return storage.records(DeskKinds.STATUS_HISTORY).find(of(requestNumber, "changed_at"));
  }

  /** Oldest first. */
  public Future<List<Assignment>> assignments(String requestNumber) {
    return storage.records(DeskKinds.ASSIGNMENTS).find(of(requestNumber, "assigned_at"));
  }
}
