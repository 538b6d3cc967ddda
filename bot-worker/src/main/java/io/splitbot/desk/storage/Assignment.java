package io.splitbot.desk.storage;

import io.splitbot.worker.storage.model.Values;
import java.time.Instant;

/** One assignment of an executor to a request (the request keeps only the current executor). */
public record Assignment(String id, String requestNumber, long executorId, long assignedBy, Instant assignedAt) {
  public Assignment {
    id = Values.required("id", id);
    requestNumber = Values.required("request_number", requestNumber);
    assignedAt = assignedAt == null ? Values.now() : Values.millis(assignedAt);
  }

  public static Assignment create(String requestNumber, long executorId, long assignedBy, Instant at) {
    return new Assignment(Values.orderedId(), requestNumber, executorId, assignedBy, at);
  }
}
