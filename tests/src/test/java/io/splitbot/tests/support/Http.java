package io.splitbot.tests.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain GETs against a service's HTTP port, from the test thread. */
public final class Http {
  private static final HttpClient CLIENT = HttpClients.http1(Duration.ofSeconds(2));

  /** A status and a body. */
  public record Answer(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private Http() {
  }

  public static Answer get(int port, String path) throws Exception {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }
}
