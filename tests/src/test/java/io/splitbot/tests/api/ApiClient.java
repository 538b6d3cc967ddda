package io.splitbot.tests.api;

import io.splitbot.tests.support.HttpClients;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Calls the worker's internal API from the test thread, as another service would. */
public final class ApiClient {
  public static final String TOKEN = "test-internal-api-token-5b1c9e";
  private static final HttpClient CLIENT = HttpClients.http1(Duration.ofSeconds(2));

  private final int port;
  private final String token;
  private final String language;

  /** The legacy bot's sample request, exactly as it sends it. */
  public static JsonObject legacySample() {
    return new JsonObject("""
        {"user_id":"123456789","title":"Заявка на ремонт","description":"Описание проблемы","address":"ул. Примерная, д. 1",
         "apartment":"123","category":"сантехника","priority":"обычный","phone":"+998901234567","contact_name":"Иван Иванов",
         "is_emergency":false,"estimated_cost":100000,"preferred_time":"2025-09-28T10:00:00"}""");
  }

  public ApiClient(int port) {
    this(port, TOKEN, null);
  }

  private ApiClient(int port, String token, String language) {
    this.port = port;
    this.token = token;
    this.language = language;
  }

  /** The same client with another Authorization (null: none). */
  public ApiClient withToken(String token) {
    return new ApiClient(port, token, language);
  }

  /** The same client sending Accept-Language. */
  public ApiClient inLanguage(String language) {
    return new ApiClient(port, token, language);
  }

  /** @param retryAfter the Retry-After header, null when absent */
  public record Answer(int status, String body, String contentType, String retryAfter) {
    public Answer(int status, String body, String contentType) {
      this(status, body, contentType, null);
    }

    public JsonObject json() {
      try {
        return new JsonObject(body);
      } catch (RuntimeException e) {
        throw new AssertionError("not a JSON object (" + status + "): " + body);
      }
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Answer get(String path) {
    return send("GET", path, null);
  }

  public Answer post(String path, Object body) {
    return send("POST", path, body);
  }

  public Answer put(String path, Object body) {
    return send("PUT", path, body);
  }

  /** {@code body}: a JsonObject, or a String sent as it is (to send malformed JSON). */
  public Answer send(String method, String path, Object body) {
    return send(method, path, body, Map.of());
  }

  /** As {@link #send(String, String, Object)} with more headers; a Content-Type among them replaces the JSON one. */
  public Answer send(String method, String path, Object body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(15));
    if (token != null) {
      b.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
    }
    if (language != null) {
      b.header("Accept-Language", language);
    }
    String text = body == null ? null : body instanceof JsonObject j ? j.encode() : body.toString();
    if (text != null && !headers.containsKey("Content-Type")) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    b.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
    try {
      HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
          r.headers().firstValue("Retry-After").orElse(null));
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }
}
