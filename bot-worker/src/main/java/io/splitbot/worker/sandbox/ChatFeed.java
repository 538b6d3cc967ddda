package io.splitbot.worker.sandbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What the chats showed, in order, for the chat page's long poll: each change the emulator reports gets the next
 * sequence number, and a reader asks for the changes after the last one it has, waiting until there is one. The
 * newest {@value #KEPT} are kept, so a page opened later replays the conversation so far.
 */
final class ChatFeed {
  static final int KEPT = 5000;

  private final Vertx vertx;
  // Guarded by this object's monitor: changes arrive on the emulator's thread, readers wait on the worker's.
  private final ArrayDeque<JsonObject> changes = new ArrayDeque<>();
  private final List<Reader> readers = new ArrayList<>();
  private long lastSeq;

  private record Reader(long after, Promise<JsonObject> answer, Context context) {
  }

  ChatFeed(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Adds a change (the emulator's listener); wakes the readers waiting for it. */
  void add(JsonObject change) {
    List<Reader> woken;
    synchronized (this) {
      changes.add(change.copy().put("seq", ++lastSeq));
      while (changes.size() > KEPT) {
        changes.poll();
      }
      woken = new ArrayList<>(readers);
      readers.clear();
    }
    for (Reader r : woken) {
      r.context().runOnContext(v -> r.answer().tryComplete(page(r.after())));
    }
  }

  /**
   * The changes after {@code after}: at once when there are some, else when the next one comes or after
   * {@code waitMs} with none. The answer is {@code {"changes":[...],"last":N}}; ask again with {@code after=N}.
   */
  Future<JsonObject> after(long after, long waitMs) {
    Promise<JsonObject> answer = Promise.promise();
    synchronized (this) {
      // after > lastSeq: the page saw an earlier run of the sandbox; it gets this run's changes from the start
      if (after != lastSeq || waitMs <= 0) {
        return Future.succeededFuture(page(after));
      }
      readers.add(new Reader(after, answer, vertx.getOrCreateContext()));
    }
    long timer = vertx.setTimer(waitMs, t -> {
      synchronized (this) {
        readers.removeIf(r -> r.answer() == answer);
      }
      answer.tryComplete(page(after));
    });
    return answer.future().onComplete(done -> vertx.cancelTimer(timer));
  }

  /** Forgets a reader whose client has gone. */
  synchronized void drop(Future<JsonObject> waiting) {
    readers.removeIf(r -> r.answer().future() == waiting);
  }

  private synchronized JsonObject page(long after) {
    if (after > lastSeq) {
      after = 0;
    }
    JsonArray found = new JsonArray();
    for (JsonObject change : changes) {
      if (change.getLong("seq") > after) {
        found.add(change.copy());
      }
    }
    return new JsonObject().put("changes", found).put("last", lastSeq);
  }
}
