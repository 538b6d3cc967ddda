package com.example.misnamed;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;

/** A module whose services file misspells its class name, as a hand-written one can. */
public final class MisnamedModule implements BotModule {
  @Override
  public Bot create(BotContext context) {
    return new Bot().command("start", ctx -> ctx.reply("Hello"));
  }
}
