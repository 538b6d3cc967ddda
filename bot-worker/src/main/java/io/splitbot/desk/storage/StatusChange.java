package io.splitbot.desk.storage;

import io.splitbot.worker.storage.model.Values;
import java.time.Instant;

/** One entry of a request's status history; {@code fromStatus} is null for the creation entry. */
public record StatusChange(String id, String requestNumber, String fromStatus, String toStatus, long changedBy, Instant changedAt) {
  public StatusChange {
    id = Values.required("id", id);
    requestNumber = Values.required("request_number", requestNumber);
    fromStatus = Values.blankToNull(fromStatus);
    toStatus = Values.required("to_status", toStatus);
    changedAt = changedAt == null ? Values.now() : Values.millis(changedAt);
  }

  public static StatusChange create(String requestNumber, String from, String to, long changedBy, Instant at) {
    return new StatusChange(Values.orderedId(), requestNumber, from, to, changedBy, at);
  }
}
