package io.splitbot.desk.storage;

import io.splitbot.worker.storage.model.Values;
import java.time.Instant;

/**
 * A comment on a request, by a user of a platform (one stored before there were platforms is a Telegram user's). The
 * id is made by the caller (a UUID), so a copy to another backend keeps it.
 */
public record Comment(String id, String requestNumber, String authorPlatform, long authorId, String text, Instant createdAt) {
  public Comment {
    id = Values.required("id", id);
    authorPlatform = UserRef.platform(authorPlatform);
    requestNumber = Values.required("request_number", requestNumber);
    text = Values.required("text", text);
    createdAt = createdAt == null ? Values.now() : Values.millis(createdAt);
  }

  /** A Telegram user's comment. */
  public Comment(String id, String requestNumber, long authorId, String text, Instant createdAt) {
    this(id, requestNumber, UserRef.TELEGRAM, authorId, text, createdAt);
  }

  /** A Telegram user's comment under a fresh id. */
  public static Comment create(String requestNumber, long authorId, String text) {
    return create(requestNumber, UserRef.telegram(authorId), text);
  }

  public static Comment create(String requestNumber, UserRef author, String text) {
    return new Comment(Values.orderedId(), requestNumber, author.platform(), author.id(), text, null);
  }

  public UserRef author() {
    return new UserRef(authorPlatform, authorId);
  }
}
