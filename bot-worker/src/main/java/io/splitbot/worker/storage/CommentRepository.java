package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Comment;
import io.vertx.core.Future;
import java.util.List;

public interface CommentRepository {
  /** Adds a comment to an existing request ({@link NotFoundException} otherwise). Re-adding the same id is a no-op. */
  Future<Comment> add(Comment comment);

  /** A request's comments, oldest first. */
  Future<List<Comment>> list(String requestNumber);
}
