package io.splitbot.worker.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * Runs tasks one at a time per chat, lowest order key first, and at most {@code maxChats} chats at once. Not
 * thread-safe: use it from one event loop.
 */
public final class ChatSequencer {

  private record Task(long order, Supplier<Future<?>> work, Promise<Object> done) {
  }

  private final int maxChats;
  private final Map<String, PriorityQueue<Task>> queues = new HashMap<>();
  private final ArrayDeque<String> waitingChats = new ArrayDeque<>();
  private final java.util.Set<String> running = new java.util.HashSet<>();

  public ChatSequencer(int maxChats) {
    this.maxChats = maxChats;
  }

  @SuppressWarnings("unchecked")
  public <T> Future<T> submit(String chat, long order, Supplier<Future<T>> work) {
    Promise<Object> done = Promise.promise();
    PriorityQueue<Task> queue = queues.get(chat);
    if (queue == null) {
      queue = new PriorityQueue<>((a, b) -> Long.compare(a.order(), b.order()));
      queues.put(chat, queue);
      if (!running.contains(chat)) {
        waitingChats.add(chat);
      }
    }
    queue.add(new Task(order, (Supplier<Future<?>>) (Supplier<?>) work, done));
    startWhatCan();
    return (Future<T>) done.future();
  }

  /** Chats with a task running now. */
  public int runningChats() {
    return running.size();
  }

  /** Tasks queued or running. */
  public int pending() {
    return queues.values().stream().mapToInt(PriorityQueue::size).sum() + running.size();
  }

  private void startWhatCan() {
    while (running.size() < maxChats && !waitingChats.isEmpty()) {
      String chat = waitingChats.poll();
      PriorityQueue<Task> queue = queues.get(chat);
      Task task = queue.poll();
      if (queue.isEmpty()) {
        queues.remove(chat);
      }
      running.add(chat);
      Future<?> result;
      try {
        result = task.work().get();
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        running.remove(chat);
        if (queues.containsKey(chat)) {
          waitingChats.add(chat);
        }
        if (ar.succeeded()) {
          task.done().complete(ar.result());
        } else {
          task.done().fail(ar.cause());
        }
        startWhatCan();
      });
    }
  }
}
