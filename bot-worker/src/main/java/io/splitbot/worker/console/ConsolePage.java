package io.splitbot.worker.console;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's page: plain HTML, CSS and JavaScript from the jar ({@code console/} in bot-worker's resources), no
 * build step and nothing from elsewhere, so it works offline. Only these files are served, read once at start; a
 * file-system folder of the same name never shadows them.
 */
final class ConsolePage {
  private record Asset(String contentType, Buffer bytes) {
  }

  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "console.css", "text/css; charset=utf-8",
      "console.js", "text/javascript; charset=utf-8");
  /** Scripts, styles and data from the console itself only; never framed (its buttons act), never a referrer. */
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final Map<String, Asset> assets;

  private ConsolePage(Map<String, Asset> assets) {
    this.assets = assets;
  }

  static ConsolePage load() {
    Map<String, Asset> assets = new java.util.HashMap<>();
    FILES.forEach((name, type) -> {
      try (InputStream in = ConsolePage.class.getResourceAsStream("/console/" + name)) {
        if (in == null) {
          throw new IllegalStateException("console/" + name + " is missing from the jar");
        }
        assets.put(name, new Asset(type, Buffer.buffer(in.readAllBytes())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    assets.put("", assets.get("index.html"));
    return new ConsolePage(Map.copyOf(assets));
  }

  /** The headers every console answer carries, page and data alike. */
  static void secure(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  /** {@code /console/} and its files; anything else goes on (to a 404). */
  void serve(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    Asset asset = path.startsWith("/console/") ? assets.get(path.substring("/console/".length())) : null;
    if (asset == null) {
      ctx.next();
      return;
    }
    ctx.response()
        .putHeader("Content-Type", asset.contentType())
        .putHeader("Cache-Control", "no-cache")
        .end(asset.bytes());
  }
}
