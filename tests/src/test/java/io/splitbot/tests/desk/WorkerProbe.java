package io.splitbot.tests.desk;

import io.splitbot.tests.support.HttpClients;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a worker process's counters from its readiness report (GET /health/ready, check "worker"). */
public final class WorkerProbe {
  private static final HttpClient CLIENT = HttpClients.http1(Duration.ofSeconds(1));

  private WorkerProbe() {
  }

  /** Updates handled plus dead-lettered, or -1 while the worker does not answer. */
  public static long handled(int workerPort) {
    try {
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workerPort + "/health/ready"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      for (Object check : new JsonObject(r.body()).getJsonArray("checks")) {
        JsonObject c = (JsonObject) check;
        if ("worker".equals(c.getString("id")) && c.getJsonObject("data") != null) {
          return c.getJsonObject("data").getLong("handled", 0L) + c.getJsonObject("data").getLong("dead_lettered", 0L);
        }
      }
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }
}
