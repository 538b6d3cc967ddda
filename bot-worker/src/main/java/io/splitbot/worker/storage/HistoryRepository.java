package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Assignment;
import io.splitbot.worker.storage.model.StatusChange;
import io.vertx.core.Future;
import java.util.List;

/** Read side of the status history and the assignments; entries are written by {@link RequestRepository}. */
public interface HistoryRepository {
  /** Oldest first. */
  Future<List<StatusChange>> statusHistory(String requestNumber);

  /** Oldest first. */
  Future<List<Assignment>> assignments(String requestNumber);
}
