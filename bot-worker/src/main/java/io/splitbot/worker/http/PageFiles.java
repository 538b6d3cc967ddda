package io.splitbot.worker.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A web page the worker serves from its own jar (the sandbox's chat, the ops console): plain HTML, CSS and JavaScript
 * with no build step and nothing from elsewhere, so it works offline. Only the files named are served, read once when
 * the page is set up; a folder of the same name on disk never shadows them. Each answer carries the page's
 * Content-Security-Policy, so a page can load nothing but its own files.
 */
public final class PageFiles {
  private record File(String contentType, Buffer bytes) {
  }

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8");

  private final Map<String, File> files;
  private final String policy;

  private PageFiles(Map<String, File> files, String policy) {
    this.files = files;
    this.policy = policy;
  }

  /** {@code names} (ending .html, .css or .js) from the class path folder {@code folder}; fails if one is missing. */
  public static PageFiles load(String folder, String policy, String... names) {
    Map<String, File> files = new HashMap<>();
    for (String name : names) {
      String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
      if (type == null) {
        throw new IllegalArgumentException("no content type for " + name);
      }
      try (InputStream in = PageFiles.class.getClassLoader().getResourceAsStream(folder + name)) {
        if (in == null) {
          throw new IllegalStateException(folder + name + " is missing from the jar");
        }
        files.put(name, new File(type, Buffer.buffer(in.readAllBytes())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new PageFiles(Map.copyOf(files), policy);
  }

  /** Answers with the file {@code name} and returns true, or returns false when the page has no such file. */
  public boolean serve(RoutingContext ctx, String name) {
    File file = files.get(name);
    if (file == null) {
      return false;
    }
    ctx.response()
        .putHeader("Content-Type", file.contentType())
        .putHeader("Content-Security-Policy", policy)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Cache-Control", "no-cache")
        .end(file.bytes());
    return true;
  }
}
