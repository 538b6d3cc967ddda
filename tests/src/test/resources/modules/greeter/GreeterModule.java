package com.example.greeter;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;

/** A bot that cannot start without its GREETING: create throws, as a module's own check would. */
public final class GreeterModule implements BotModule {
  @Override
  public Bot create(BotContext context) {
    String greeting = context.env().string("GREETING", null);
    if (greeting == null) {
      throw new IllegalStateException("no GREETING set");
    }
    return new Bot().command("start", ctx -> ctx.reply(greeting));
  }
}
