package io.splitbot.examples.hello;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A bot of its own on splitbot: a greeting, a two-step conversation kept in the session, an inline button, and a
 * per-chat counter in a key-value store. The runtime finds it through
 * {@code META-INF/services/io.splitbot.worker.bot.BotModule}.
 */
public final class HelloModule implements BotModule {

  @Override
  public Bot create(BotContext context) {
    KeyValueStore counters = context.store("counters");
    return new Bot()
        .command("start", "Say hello", ctx -> ctx.reply("Hello! Try /name, /count or /button."))
        // step 1: remember in the chat's session what the next message answers
        .command("name", "Tell me your name", ctx -> {
          ctx.session().put("awaiting", "name");
          return ctx.reply("What's your name?");
        })
        .command("count", "Count up", ctx -> count(counters, ctx).compose(n -> ctx.reply("Count: " + n)))
        .command("button", "A button that counts", ctx -> ctx.reply("Press it as often as you like.",
            List.of(List.of(new Button("Count", "count")))))
        .callback("count", ctx -> count(counters, ctx)
            .compose(n -> ctx.answerCallback("Counted").compose(v -> ctx.reply("Count: " + n))))
        // step 2: the session says this text is the name
        .text(ctx -> {
          if ("name".equals(ctx.session().getString("awaiting"))) {
            String name = ctx.text().trim();
            ctx.session().remove("awaiting");
            ctx.session().put("name", name);
            return ctx.reply("Nice to meet you, " + name + "!");
          }
          return ctx.reply("I don't know that one. Try /start.");
        });
  }

  /**
   * Adds one to this chat's counter and returns the new value. In {@code ctx.once}: should the update run again (its
   * reply failed, the worker crashed), it does not count twice.
   */
  private static Future<Long> count(KeyValueStore counters, UpdateContext ctx) {
    String key = "chat:" + ctx.chatId();
    return ctx.once("count", () -> counters.get(key).compose(current -> {
      JsonObject next = new JsonObject().put("value", (current == null ? 0 : current.getLong("value", 0L)) + 1);
      return counters.put(key, next).map(v -> next);
    })).map(counter -> counter.getLong("value"));
  }
}
