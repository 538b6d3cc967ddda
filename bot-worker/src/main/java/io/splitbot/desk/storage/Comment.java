package io.splitbot.desk.storage;

import io.splitbot.worker.storage.model.Values;
import java.time.Instant;

/** A comment on a request. The id is made by the caller (a UUID), so a copy to another backend keeps it. */
public record Comment(String id, String requestNumber, long authorId, String text, Instant createdAt) {
  public Comment {
    id = Values.required("id", id);
    requestNumber = Values.required("request_number", requestNumber);
    text = Values.required("text", text);
    createdAt = createdAt == null ? Values.now() : Values.millis(createdAt);
  }

  public static Comment create(String requestNumber, long authorId, String text) {
    return new Comment(Values.orderedId(), requestNumber, authorId, text, null);
  }
}
