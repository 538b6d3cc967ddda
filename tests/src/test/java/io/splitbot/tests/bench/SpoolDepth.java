package io.splitbot.tests.bench;

import io.splitbot.tests.support.HttpClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How many updates an edge's spool holds, as its {@code GET /health/ready} reports it. */
final class SpoolDepth {
  private static final Pattern DEPTH = Pattern.compile("\"depth\"\\s*:\\s*(\\d+)");

  private SpoolDepth() {
  }

  /** The depth of the edge on {@code port}, or -1 when it does not answer with one. */
  static int of(int port) {
    try {
      HttpResponse<String> r = HttpClients.http1(Duration.ofSeconds(2)).send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      Matcher m = DEPTH.matcher(r.body());
      return m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
