package io.splitbot.tests.support;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain GETs (and a POST) against a service's HTTP port, from the test thread. */
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
    return get("127.0.0.1", port, path, null);
  }

  /** A GET with {@code Authorization: Bearer <token>} (none when null). */
  public static Answer get(int port, String path, String bearer) throws Exception {
    return get("127.0.0.1", port, path, bearer);
  }

  /** A GET to {@code host} (an IP literal), with a bearer token when not null. */
  public static Answer get(String host, int port, String path, String bearer) throws Exception {
    String authority = host.contains(":") ? "[" + host + "]" : host;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + authority + ":" + port + path))
        .timeout(Duration.ofSeconds(10));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /**
   * A GET from loopback that names {@code hostName} in its Host header, as a browser does for a page whose name was
   * re-pointed at 127.0.0.1 (java.net.http will not send another Host, so this is a plain HTTP/1.0 exchange).
   */
  public static Answer getNaming(String hostName, int port, String path) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: " + hostName + ":" + port + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int status = Integer.parseInt(answer.substring(answer.indexOf(' ') + 1, answer.indexOf(' ') + 4));
      int bodyAt = answer.indexOf("\r\n\r\n");
      return new Answer(status, bodyAt < 0 ? "" : answer.substring(bodyAt + 4));
    }
  }

  /** A POST of {@code body} as {@code contentType} to {@code host}, with a bearer token when not null. */
  public static Answer post(String host, int port, String path, String bearer, String contentType, String body) throws Exception {
    String authority = host.contains(":") ? "[" + host + "]" : host;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + authority + ":" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }
}
