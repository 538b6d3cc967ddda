package io.splitbot.worker.bot;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The dispatcher: middleware first, then the first matching route, tried in this order: a command, a callback-data
 * prefix, a predicate (in the order added), an update type, any other text, and finally the fallback. A bot is
 * built once at start-up and then only read.
 */
public final class Bot {
  private final List<Middleware> middleware = new ArrayList<>();
  private final Map<String, UpdateHandler> commands = new LinkedHashMap<>();
  private final Map<String, String> descriptions = new LinkedHashMap<>();
  private final Map<String, UpdateHandler> callbacks = new LinkedHashMap<>();
  private final List<Map.Entry<Predicate<UpdateContext>, UpdateHandler>> predicates = new ArrayList<>();
  private final Map<String, UpdateHandler> types = new LinkedHashMap<>();
  private UpdateHandler text;
  private UpdateHandler fallback = ctx -> null;

  public Bot use(Middleware m) {
    middleware.add(m);
    return this;
  }

  /** {@code name} without the slash; matched case-insensitively, with or without a @bot suffix. */
  public Bot command(String name, UpdateHandler handler) {
    commands.put(name.toLowerCase(), handler);
    return this;
  }

  /** A command that also shows in the platform's command menu with {@code description}. */
  public Bot command(String name, String description, UpdateHandler handler) {
    descriptions.put(name.toLowerCase(), description);
    return command(name, handler);
  }

  /** Callback queries whose data starts with {@code prefix}; the longest matching prefix wins. */
  public Bot callback(String prefix, UpdateHandler handler) {
    callbacks.put(prefix, handler);
    return this;
  }

  /** Updates for which {@code test} is true; the first predicate added that matches wins. */
  public Bot when(Predicate<UpdateContext> test, UpdateHandler handler) {
    predicates.add(Map.entry(test, handler));
    return this;
  }

  /** Updates of one type, as the platform names it: message, edited_message, callback_query, my_chat_member, ... */
  public Bot on(String updateType, UpdateHandler handler) {
    types.put(updateType, handler);
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

  public java.util.Set<String> commands() {
    return Collections.unmodifiableSet(commands.keySet());
  }

  /** The commands for the platform's menu, in the order added: the description given, else the command's name. */
  public Map<String, String> commandMenu() {
    Map<String, String> menu = new LinkedHashMap<>();
    commands.keySet().forEach(c -> menu.put(c, descriptions.getOrDefault(c, c)));
    return menu;
  }

  public Future<Void> dispatch(UpdateContext ctx) {
    return runMiddleware(ctx, 0);
  }

  private Future<Void> runMiddleware(UpdateContext ctx, int index) {
    if (index == middleware.size()) {
      return invoke(() -> route(ctx).handle(ctx));
    }
    Supplier<Future<Void>> next = () -> runMiddleware(ctx, index + 1);
    return invoke(() -> middleware.get(index).handle(ctx, next));
  }

  private UpdateHandler route(UpdateContext ctx) {
    String command = ctx.command();
    if (command != null && commands.containsKey(command)) {
      return commands.get(command);
    }
    String data = ctx.callbackData();
    if (data != null) {
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
    for (Map.Entry<Predicate<UpdateContext>, UpdateHandler> p : predicates) {
      if (p.getKey().test(ctx)) {
        return p.getValue();
      }
    }
    UpdateHandler byType = types.get(ctx.updateType());
    if (byType != null) {
      return byType;
    }
    if (command == null && ctx.text() != null && text != null) {
      return text;
    }
    return fallback;
  }

  /** A handler's result as a Future<Void>: null is "done", a throw is a failed attempt. */
  private interface Step {
    Future<?> run() throws Exception;
  }

  private static Future<Void> invoke(Step step) {
    try {
      Future<?> result = step.run();
      return result == null ? Future.succeededFuture() : result.mapEmpty();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
