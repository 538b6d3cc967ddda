package io.splitbot.worker.console;

import io.splitbot.worker.http.PageFiles;
import io.vertx.ext.web.RoutingContext;

/**
 * The console's page: plain HTML, CSS and JavaScript from the jar ({@code console/} in bot-worker's resources), no
 * build step and nothing from elsewhere, so it works offline. Only these files are served, read once at start; a
 * file-system folder of the same name never shadows them.
 */
final class ConsolePage {
  /** Scripts, styles and data from the console itself only; never framed (its buttons act), never a referrer. */
  private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private final PageFiles files;

  private ConsolePage(PageFiles files) {
    this.files = files;
  }

  static ConsolePage load() {
    return new ConsolePage(PageFiles.load("console/", POLICY, "index.html", "console.css", "console.js"));
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
    String name = path.equals("/console/") ? "index.html" : path.substring("/console/".length());
    if (!path.startsWith("/console/") || !files.serve(ctx, name)) {
      ctx.next();
    }
  }
}
