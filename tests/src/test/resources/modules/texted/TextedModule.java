package com.example.texted;

import com.example.texts.Texts;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;

/** A module that needs its own library jar (modules/texts) on the classpath beside it. */
public final class TextedModule implements BotModule {
  @Override
  public Bot create(BotContext context) {
    String greeting = Texts.greeting();
    return new Bot().command("start", ctx -> ctx.reply(greeting));
  }
}
