package io.splitbot.tests.scale;

import io.splitbot.tests.support.HttpClients;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Telegram in front of several edge instances behind a load balancer: each chat's updates one after another, the
 * next only once the previous got a 2xx; a chat's consecutive updates alternate between the edges; an update an
 * edge does not take (refused connection, 5xx) is posted again to the next edge, as the balancer would.
 */
final class EdgesDeliverer {
  private final HttpClient http = HttpClients.http1(Duration.ofSeconds(2));
  private final List<String> urls = new ArrayList<>();
  /** update_id → the edge index that acked it. */
  final Map<Long, Integer> ackedBy = new ConcurrentHashMap<>();
  final AtomicInteger retries = new AtomicInteger();

  EdgesDeliverer(List<Integer> edgePorts) {
    edgePorts.forEach(port -> urls.add("http://127.0.0.1:" + port + "/webhook/telegram"));
  }

  /** Delivers all, chats in parallel (up to 64 at a time); each update until some edge acked it. */
  void deliverAll(List<JsonObject> updates, Duration timeout) throws Exception {
    deliverAll(updates, timeout, 0);
  }

  /** As {@link #deliverAll(List, Duration)}, waiting {@code gapMs} between a chat's updates. */
  void deliverAll(List<JsonObject> updates, Duration timeout, long gapMs) throws Exception {
    Map<Long, List<JsonObject>> byChat = new LinkedHashMap<>();
    for (JsonObject u : updates) {
      byChat.computeIfAbsent(chat(u), k -> new ArrayList<>()).add(u);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(64, byChat.size()));
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<JsonObject> chatUpdates : byChat.values()) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < chatUpdates.size(); i++) {
            if (i > 0 && gapMs > 0) {
              Thread.sleep(gapMs);
            }
            deliver(chatUpdates.get(i), i, deadline);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void deliver(JsonObject update, int position, long deadline) throws Exception {
    long id = update.getLong("update_id");
    for (int attempt = 0; ; attempt++) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("update " + id + " was never acknowledged");
      }
      int edge = (position + attempt) % urls.size();
      int status;
      try {
        HttpRequest request = HttpRequest.newBuilder(URI.create(urls.get(edge)))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .header("X-Telegram-Bot-Api-Secret-Token", TestEnv.WEBHOOK_SECRET)
            .POST(HttpRequest.BodyPublishers.ofString(update.encode()))
            .build();
        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException e) {
        status = -1;
      }
      if (status >= 200 && status < 300) {
        ackedBy.put(id, edge);
        return;
      }
      if (status >= 400 && status < 500) {
        throw new AssertionError("update " + id + " refused with " + status);
      }
      retries.incrementAndGet();
      // The next edge at once; a short pause once every edge has been tried.
      if ((attempt + 1) % urls.size() == 0) {
        Thread.sleep(200);
      }
    }
  }

  static long chat(JsonObject update) {
    return update.getJsonObject("message").getJsonObject("chat").getLong("id");
  }
}
