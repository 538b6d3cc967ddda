package io.splitbot.shared.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process that must not run beside another of its role (docs/SCALING.md, section 4): a worker without REDIS_URL,
 * an edge with SPOOL=file. Found at start it fails the start with this exception, whose message is the one line the
 * process stops with; found later (two that started in the same instant) it goes to the process's handler
 * ({@link #onLate}), which for the jars stops the process with the same line.
 */
public final class Refusal extends RuntimeException {
  public static final String WORKER_LINE = "a second worker needs REDIS_URL: dedup, claims and the throttle must be shared";
  public static final String EDGE_LINE = "a second edge needs SPOOL=redis: a file spool is one edge's disk, and per-chat "
      + "order needs one shared spool";

  private static final Logger log = LoggerFactory.getLogger(Refusal.class);
  private static final String MAP = "splitbot.refusal";

  private record Handler(Consumer<String> consumer) implements Shareable {
  }

  public Refusal(String role) {
    super(line(role), null, false, false);
  }

  public static String line(String role) {
    return Member.EDGE.equals(role) ? EDGE_LINE : WORKER_LINE;
  }

  /** What this process does with a refusal found after it started; without one it is logged as an error. */
  public static void onLate(Vertx vertx, Consumer<String> handler) {
    vertx.sharedData().<String, Handler>getLocalMap(MAP).put("handler", new Handler(handler));
  }

  static void late(Vertx vertx, String line) {
    Handler handler = vertx.sharedData().<String, Handler>getLocalMap(MAP).get("handler");
    if (handler == null) {
      log.error(line);
    } else {
      handler.consumer().accept(line);
    }
  }

  /** The refusal among {@code e}'s causes, or null. */
  public static Refusal in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Refusal r) {
        return r;
      }
    }
    return null;
  }
}
