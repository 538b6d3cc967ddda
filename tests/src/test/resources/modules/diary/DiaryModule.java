package com.example.diary;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bot that logs what users write, as many do: the log format must keep such text on its own line. */
public final class DiaryModule implements BotModule {
  private static final Logger log = LoggerFactory.getLogger(DiaryModule.class);

  @Override
  public Bot create(BotContext context) {
    return new Bot().text(ctx -> {
      log.info("diary entry: {}", ctx.text());
      return ctx.reply("Noted.");
    });
  }
}
