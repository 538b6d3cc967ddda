package io.splitbot.worker.dedup;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.LongStream;

/** Runs calls on one event-loop context, as the worker does, and waits for their futures on the test thread. */
final class OnLoop {
  private final Context context;

  OnLoop(Vertx vertx) {
    this.context = vertx.getOrCreateContext();
  }

  <T> T await(Supplier<Future<T>> call) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(done));
    return done.future().await();
  }

  /** Marks every id at once, so that group commit writes them in a few batches; waits until all are durable. */
  void mark(Deduplicator dedup, LongStream ids) {
    await(() -> Future.all(ids.mapToObj(id -> dedup.markHandled(Long.toString(id))).toList()).mapEmpty());
  }

  boolean isHandled(Deduplicator dedup, long id) {
    return await(() -> dedup.isHandled(Long.toString(id)));
  }

  /** The answers for {@code from..to}, in one hop to the loop. */
  List<Boolean> answers(Deduplicator dedup, long from, long to) {
    return await(() -> Future.succeededFuture(LongStream.rangeClosed(from, to)
        .mapToObj(id -> dedup.isHandled(Long.toString(id)).result()).toList()));
  }
}
