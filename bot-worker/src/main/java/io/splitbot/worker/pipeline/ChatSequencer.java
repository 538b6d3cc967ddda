package io.splitbot.worker.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  /** The chats with a task running now, each with when it started (ms since the epoch). */
  private final Map<String, Long> running = new HashMap<>();

  /** One chat's share of the work: whether a task of it runs now and since when, and how many wait behind it. */
  public record ChatLoad(String chat, boolean running, long runningSinceMillis, int queued) {
  }

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
      if (!running.containsKey(chat)) {
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

  /** Every chat with a task running or queued: the longest queues first, then the longest running. */
  public List<ChatLoad> chats() {
    Set<String> chats = new HashSet<>(running.keySet());
    chats.addAll(queues.keySet());
    List<ChatLoad> out = new ArrayList<>();
    for (String chat : chats) {
      Long since = running.get(chat);
      PriorityQueue<Task> queue = queues.get(chat);
      out.add(new ChatLoad(chat, since != null, since == null ? 0 : since, queue == null ? 0 : queue.size()));
    }
    out.sort(Comparator.comparingInt(ChatLoad::queued).reversed()
        .thenComparing(Comparator.comparing(ChatLoad::running).reversed())
        .thenComparingLong(ChatLoad::runningSinceMillis));
    return out;
  }

  private void startWhatCan() {
    while (running.size() < maxChats && !waitingChats.isEmpty()) {
      String chat = waitingChats.poll();
      PriorityQueue<Task> queue = queues.get(chat);
      Task task = queue.poll();
      if (queue.isEmpty()) {
        queues.remove(chat);
      }
      running.put(chat, System.currentTimeMillis());
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
