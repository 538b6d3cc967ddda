package io.splitbot.edge.spool;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Appends whose ack waits for the AOF fsync (SPOOL_REDIS_WAITAOF=true, Redis 7.2 and later), with group commit:
 * the appends that arrive while one group is in flight go out together as the next group. WAITAOF waits only for
 * the writes made on its own connection, so a group is one batch, on one connection, ended by one
 * {@code WAITAOF 1 0 <ms>}. When Redis does not confirm the fsync in time the whole group fails: the edge answers
 * 503, and Telegram's redelivery finds each update already spooled. That second ack rests on the first write having
 * reached the disk since, which a WAITAOF on another connection cannot confirm; Telegram redelivers seconds later.
 */
final class AofGroupCommit {
  /** Far below the client's waiting-handler bound per connection. */
  static final int MAX_GROUP = 256;

  private record Pending(Request request, Promise<Response> promise, Context context) {
  }

  private final Function<List<Request>, Future<List<Response>>> batch;
  private final long waitMs;
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private boolean inFlight;

  /** @param waitMs WAITAOF's own timeout; it must stay below the client's command timeout. */
  AofGroupCommit(Function<List<Request>, Future<List<Response>>> batch, long waitMs) {
    this.batch = batch;
    this.waitMs = waitMs;
  }

  /** Sends {@code write} in the next group; the answer comes once Redis has fsynced it. */
  Future<Response> submit(Request write) {
    Promise<Response> promise = Promise.promise();
    boolean start;
    synchronized (this) {
      waiting.add(new Pending(write, promise, Vertx.currentContext()));
      start = !inFlight;
      inFlight = true;
    }
    if (start) {
      flush();
    }
    return promise.future();
  }

  private void flush() {
    List<Pending> group = new ArrayList<>();
    synchronized (this) {
      while (!waiting.isEmpty() && group.size() < MAX_GROUP) {
        group.add(waiting.poll());
      }
      if (group.isEmpty()) {
        inFlight = false;
        return;
      }
    }
    List<Request> requests = new ArrayList<>(group.size() + 1);
    group.forEach(pending -> requests.add(pending.request()));
    requests.add(Request.cmd(RedisPersistence.WAITAOF).arg(1).arg(0).arg(waitMs));
    Future<List<Response>> sent;
    try {
      sent = batch.apply(requests);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(answers -> {
      settle(group, answers);
      flush();
    });
  }

  private static void settle(List<Pending> group, AsyncResult<List<Response>> answers) {
    Throwable failure = answers.failed() ? answers.cause() : null;
    if (failure == null && answers.result().get(group.size()).get(0).toInteger() < 1) {
      failure = new IllegalStateException("Redis did not confirm the fsync of its append-only file in time");
    }
    for (int i = 0; i < group.size(); i++) {
      Pending pending = group.get(i);
      Throwable cause = failure;
      Response answer = cause == null ? answers.result().get(i) : null;
      // Each caller hears back on its own context, as from a plain send.
      Runnable complete = () -> {
        if (cause == null) {
          pending.promise().complete(answer);
        } else {
          pending.promise().fail(cause);
        }
      };
      if (pending.context() == null || pending.context() == Vertx.currentContext()) {
        complete.run();
      } else {
        pending.context().runOnContext(v -> complete.run());
      }
    }
  }
}
