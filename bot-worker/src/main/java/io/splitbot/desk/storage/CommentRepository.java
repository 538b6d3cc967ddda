package io.splitbot.desk.storage;

import static io.splitbot.desk.storage.DeskKinds.COMMENTS;
import static io.splitbot.desk.storage.DeskKinds.REQUESTS;

import io.splitbot.worker.storage.NotFoundException;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.Tx;
import io.vertx.core.Future;
import java.util.List;

/** Comments on requests. */
public final class CommentRepository {
  private final Storage storage;

  CommentRepository(Storage storage) {
    this.storage = storage;
  }

  /** Adds a comment to an existing request ({@link NotFoundException} otherwise). Re-adding the same id is a no-op. */
  public Future<Comment> add(Comment c) {
    return storage.update(List.of(Tx.ref(REQUESTS, c.requestNumber()), Tx.ref(COMMENTS, c.id())), tx -> {
      if (tx.get(REQUESTS, c.requestNumber()) == null) {
        throw new NotFoundException("request", c.requestNumber());
      }
      Comment already = tx.get(COMMENTS, c.id());
      if (already != null) {
        return already;
      }
      tx.insert(COMMENTS, c);
      return c;
    });
  }

  /** A request's comments, oldest first. */
  public Future<List<Comment>> list(String requestNumber) {
    return storage.records(COMMENTS).find(HistoryRepository.of(requestNumber, "created_at"));
  }
}
