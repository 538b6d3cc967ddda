package io.splitbot.shared.log;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Log fields (update_id, chat_id, request_id) that follow a piece of work across the event loop's hops.
 *
 * <p>Vert.x has no MDC propagation: one event-loop thread interleaves many updates. So the fields live in the local
 * data of a Vert.x <i>duplicated context</i> made for that piece of work. Futures, timers, event-bus replies and
 * client responses created while it runs call back on that same context, so the fields follow the work wherever it
 * goes, and never leak to other work on the same thread. {@link LogContextTurboFilter} copies the current context's
 * fields into logback's MDC on every log call, so every encoder (plain or JSON) sees them as ordinary MDC.
 *
 * <ul>
 *   <li>{@link #with(Map, Supplier)} runs work in a fresh context carrying the fields (and the caller's).</li>
 *   <li>{@link #bind(Supplier)} captures the current context, for work that some other work will start later
 *       (a queue of chats: the next chat's update must not run under the previous one's fields).</li>
 *   <li>{@link #requestIds()} is the web handler that gives every HTTP request a request_id.</li>
 * </ul>
 */
public final class LogContext {
  public static final String UPDATE_ID = "update_id";
  public static final String CHAT_ID = "chat_id";
  public static final String REQUEST_ID = "request_id";
  public static final String REQUEST_ID_HEADER = "X-Request-Id";

  private static final Object KEY = new Object() {
    @Override
    public String toString() {
      return "splitbot.log.fields";
    }
  };

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("io.splitbot.http");

  private LogContext() {
  }

  /** The fields of the work running now; empty outside such work. */
  public static Map<String, String> current() {
    ContextInternal ctx = (ContextInternal) Vertx.currentContext();
    if (ctx == null || !ctx.isDuplicate()) {
      return Map.of();
    }
    Map<String, String> fields = ctx.getLocal(KEY);
    return fields == null ? Map.of() : fields;
  }

  /** The fields of one update: its key in the stores and its chat. */
  public static Map<String, String> update(String updateKey, String chatId) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put(UPDATE_ID, updateKey);
    if (chatId != null) {
      fields.put(CHAT_ID, chatId);
    }
    return fields;
  }

  /**
   * Runs {@code work} now, on this thread, in a new duplicated context whose log fields are the caller's plus
   * {@code fields}. Outside a Vert.x context it just runs the work.
   */
  public static <T> Future<T> with(Map<String, String> fields, Supplier<Future<T>> work) {
    Context ctx = Vertx.currentContext();
    if (ctx == null) {
      return run(work);
    }
    ContextInternal dup = ((ContextInternal) ctx).duplicate();
    Map<String, String> merged = new LinkedHashMap<>(current());
    merged.putAll(fields);
    dup.putLocal(KEY, Collections.unmodifiableMap(merged));
    return runIn(dup, work);
  }

  /**
   * Wraps {@code work} so that, whenever and wherever it is started, it runs in the context that is current now,
   * with its log fields.
   */
  public static <T> Supplier<Future<T>> bind(Supplier<Future<T>> work) {
    Context ctx = Vertx.currentContext();
    if (ctx == null || !((ContextInternal) ctx).isDuplicate()) {
      return work;
    }
    ContextInternal captured = (ContextInternal) ctx;
    return () -> Vertx.currentContext() == captured ? run(work) : runIn(captured, work);
  }

  /**
   * Adds a field to the work running now (for example the update id once a request's body is parsed). Ignored
   * outside a duplicated context, where it would leak to everything else on the event loop.
   */
  public static void put(String key, String value) {
    putAll(Map.of(key, value));
  }

  /** {@link #put} for several fields at once. */
  public static void putAll(Map<String, String> fields) {
    ContextInternal ctx = (ContextInternal) Vertx.currentContext();
    if (ctx == null || !ctx.isDuplicate()) {
      return;
    }
    Map<String, String> before = current();
    if (before.isEmpty()) {
      ctx.putLocal(KEY, Collections.unmodifiableMap(fields));
      return;
    }
    Map<String, String> merged = new LinkedHashMap<>(before);
    merged.putAll(fields);
    ctx.putLocal(KEY, Collections.unmodifiableMap(merged));
  }

  /**
   * A router handler for internal APIs: takes the caller's {@code X-Request-Id} (when it is short and plain) or makes
   * one, echoes it in the response, and runs the rest of the request in a context that logs it as request_id.
   */
  public static Handler<RoutingContext> requestIds() {
    return ctx -> {
      String given = ctx.request().getHeader(REQUEST_ID_HEADER);
      String id = given != null && given.matches("[A-Za-z0-9._:-]{1,64}") ? given : UUID.randomUUID().toString();
      ctx.response().putHeader(REQUEST_ID_HEADER, id);
      ctx.put(REQUEST_ID, id);
      with(Map.of(REQUEST_ID, id), () -> {
        log.debug("{} {}", ctx.request().method(), ctx.request().path());
        ctx.next();
        return Future.succeededFuture();
      });
    };
  }

  private static <T> Future<T> runIn(ContextInternal context, Supplier<Future<T>> work) {
    Object[] result = new Object[1];
    context.dispatch(v -> result[0] = run(work));
    @SuppressWarnings("unchecked")
    Future<T> future = (Future<T>) result[0];
    return future;
  }

  private static <T> Future<T> run(Supplier<Future<T>> work) {
    try {
      Future<T> future = work.get();
      return future == null ? Future.succeededFuture() : future;
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
