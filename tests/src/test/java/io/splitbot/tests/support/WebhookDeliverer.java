package io.splitbot.tests.support;

import io.splitbot.edge.platform.max.MaxUpdates;
import io.vertx.core.json.JsonObject;
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
import java.util.function.Function;

/**
 * Posts updates to the edge the way Telegram and MAX do: each chat's updates one after another, in order, the next
 * only after a 2xx; chats in parallel; a 5xx or a refused connection is retried after Retry-After.
 */
public final class WebhookDeliverer {
  private final HttpClient http = HttpClients.http1(Duration.ofSeconds(2));
  private final String url;
  private final String secretHeader;
  private final String secret;
  private final Function<JsonObject, Object> chatOf;
  private final Function<JsonObject, Object> keyOf;
  /** update key → number of 2xx answers it got (the platform stops at the first). */
  public final Map<Object, Integer> acked = new ConcurrentHashMap<>();
  public final AtomicInteger retries = new AtomicInteger();
  /** 503 answers that carried Retry-After (spool full, store down, shutting down). */
  public final AtomicInteger retryLater = new AtomicInteger();

  private WebhookDeliverer(int edgePort, String platform, String secretHeader, String secret,
      Function<JsonObject, Object> chatOf, Function<JsonObject, Object> keyOf) {
    this.url = "http://127.0.0.1:" + edgePort + "/webhook/" + platform;
    this.secretHeader = secretHeader;
    this.secret = secret;
    this.chatOf = chatOf;
    this.keyOf = keyOf;
  }

  /** Telegram: keyed by update_id. */
  public static WebhookDeliverer telegram(int edgePort, String secret) {
    return new WebhookDeliverer(edgePort, "telegram", "X-Telegram-Bot-Api-Secret-Token", secret,
        WebhookDeliverer::telegramChat, u -> u.getLong("update_id"));
  }

  /** MAX: keyed as the edge keys it. */
  public static WebhookDeliverer max(int edgePort, String secret) {
    return new WebhookDeliverer(edgePort, "max", "X-Max-Bot-Api-Secret", secret, MaxUpdates::chatKey, MaxUpdates::dedupKey);
  }

  /** Delivers everything, returning once every update got a 2xx or {@code timeout} passed. */
  public void deliverAll(List<JsonObject> updates, Duration timeout) throws Exception {
    Map<Object, List<JsonObject>> byChat = new LinkedHashMap<>();
    for (JsonObject u : updates) {
      byChat.computeIfAbsent(chatOf.apply(u), k -> new ArrayList<>()).add(u);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(40, byChat.size()));
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<JsonObject> chatUpdates : byChat.values()) {
        done.add(pool.submit(() -> {
          for (JsonObject u : chatUpdates) {
            deliver(u, deadline);
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

  /** One update until it is acknowledged. */
  public void deliver(JsonObject update, long deadlineNanos) throws Exception {
    while (true) {
      if (System.nanoTime() > deadlineNanos) {
        throw new AssertionError("update " + keyOf.apply(update) + " was never acknowledged");
      }
      int status;
      String retryAfter = null;
      try {
        HttpResponse<String> response = post(update.encode(), "application/json", secret);
        status = response.statusCode();
        retryAfter = response.headers().firstValue("Retry-After").orElse(null);
      } catch (java.io.IOException e) {
        status = -1;
      }
      if (status >= 200 && status < 300) {
        acked.merge(keyOf.apply(update), 1, Integer::sum);
        return;
      }
      if (status >= 400 && status < 500) {
        throw new AssertionError("update " + keyOf.apply(update) + " refused with " + status);
      }
      retries.incrementAndGet();
      if (status == 503 && retryAfter != null) {
        retryLater.incrementAndGet();
      }
      // Telegram waits much longer; a short wait keeps tests quick without hammering.
      Thread.sleep(retryAfter == null ? 200 : Math.min(1000, Long.parseLong(retryAfter) * 200));
    }
  }

  public HttpResponse<String> post(String body, String contentType, String secretValue) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (secretValue != null) {
      request.header(secretHeader, secretValue);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public String url() {
    return url;
  }

  static Object telegramChat(JsonObject update) {
    for (String field : new String[] {"message", "edited_message"}) {
      if (update.getJsonObject(field) != null) {
        return update.getJsonObject(field).getJsonObject("chat").getValue("id");
      }
    }
    if (update.getJsonObject("callback_query") != null) {
      return update.getJsonObject("callback_query").getJsonObject("message").getJsonObject("chat").getValue("id");
    }
    return update.getLong("update_id");
  }
}
