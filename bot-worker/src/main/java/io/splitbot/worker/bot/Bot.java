package io.splitbot.worker.bot;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The dispatcher: middleware first, then the first matching route: a command, a callback-data prefix, any other
 * text, and finally the fallback. A bot is built once at start-up and then only read.
 */
public final class Bot {
  private final List<Middleware> middleware = new ArrayList<>();
  private final Map<String, UpdateHandler> commands = new LinkedHashMap<>();
  private final Map<String, UpdateHandler> callbacks = new LinkedHashMap<>();
  private UpdateHandler text;
  private UpdateHandler fallback = ctx -> Future.succeededFuture();

  public Bot use(Middleware m) {
    middleware.add(m);
    return this;
  }

  /** {@code name} without the slash; matched case-insensitively, with or without a @bot suffix. */
  public Bot command(String name, UpdateHandler handler) {
    commands.put(name.toLowerCase(), handler);
    return this;
  }

  /** Callback queries whose data starts with {@code prefix}; the longest matching prefix wins. */
  public Bot callback(String prefix, UpdateHandler handler) {
    callbacks.put(prefix, handler);
    return this;
  }

  /** Text messages that are not a known command. */
  public Bot text(UpdateHandler handler) {
    this.text = handler;
    return this;
  }

  /** Everything no other route took. */
  public Bot fallback(UpdateHandler handler) {
    this.fallback = handler;
    return this;
  }

  public Set<String> commands() {
    return Collections.unmodifiableSet(commands.keySet());
  }

  public Future<Void> dispatch(UpdateContext ctx) {
    return runMiddleware(ctx, 0);
  }

  private Future<Void> runMiddleware(UpdateContext ctx, int index) {
    if (index == middleware.size()) {
      return invoke(route(ctx), ctx);
    }
    Supplier<Future<Void>> next = () -> runMiddleware(ctx, index + 1);
    try {
      return middleware.get(index).handle(ctx, next);
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private UpdateHandler route(UpdateContext ctx) {
    String command = ctx.command();
    if (command != null && commands.containsKey(command)) {
      return commands.get(command);
    }
    if (ctx.callbackQuery() != null) {
      String data = ctx.callbackQuery().getString("data", "");
      UpdateHandler best = null;
      int bestLength = -1;
      for (Map.Entry<String, UpdateHandler> e : callbacks.entrySet()) {
        if (data.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
          best = e.getValue();
          bestLength = e.getKey().length();
        }
      }
      if (best != null) {
        return best;
      }
    }
    if (command == null && ctx.text() != null && text != null) {
      return text;
    }
    return fallback;
  }

  private static Future<Void> invoke(UpdateHandler handler, UpdateContext ctx) {
    try {
      Future<Void> result = handler.handle(ctx);
      return result == null ? Future.succeededFuture() : result;
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
