package com.example.counter;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.bot.KeyValueStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * A bot built outside splitbot, against bot-worker.jar alone: /start greets, /count adds COUNTER_STEP (1 to 10,
 * default 1) to this chat's counter in the bot's own key-value store and answers the new value, with how many
 * /count the chat's session has seen.
 */
public final class CounterModule implements BotModule {
  @Override
  public Bot create(BotContext context) {
    int step = context.env().integer("COUNTER_STEP", 1, 1, 10);
    KeyValueStore counters = context.store("counter");
    return new Bot()
        .command("start", "Say hello", ctx -> ctx.reply("Hello! I count: send /count."))
        // once: an update that runs again (a failed attempt, a crash) gets the first run's value, not one more
        .command("count", "Count one more", ctx -> ctx.once("count", () -> add(counters, ctx.chatId(), step))
            .compose(counter -> {
              // the session changes only when this update succeeds, so a run again does not count twice
              int seen = ctx.session().getInteger("seen", 0) + 1;
              ctx.session().put("seen", seen);
              return ctx.reply("Count: " + counter.getInteger("value") + " (session: " + seen + ")");
            }));
  }

  private static Future<JsonObject> add(KeyValueStore counters, String chatId, int step) {
    return counters.get(chatId).compose(current -> {
      JsonObject next = new JsonObject().put("value", (current == null ? 0 : current.getInteger("value")) + step);
      return counters.put(chatId, next).map(next);
    });
  }
}
