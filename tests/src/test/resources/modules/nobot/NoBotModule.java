package com.example.nobot;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;

/** A module whose create returns null instead of a Bot, as an unfinished one can. */
public final class NoBotModule implements BotModule {
  @Override
  public Bot create(BotContext context) {
    return null;
  }
}
