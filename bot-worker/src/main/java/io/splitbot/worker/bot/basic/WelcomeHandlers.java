package io.splitbot.worker.bot.basic;

import io.splitbot.worker.bot.Bot;
import io.vertx.core.Future;
import java.util.stream.Collectors;

/** /start, /help, /echo and a fallback that lists the commands: the smallest bot that does something real. */
public final class WelcomeHandlers {
  private WelcomeHandlers() {
  }

  public static Bot install(Bot bot) {
    bot.command("start", ctx -> ctx.reply("Hello! I am a splitbot bot. Send /help to see what I can do.").mapEmpty());
    bot.command("help", ctx -> ctx.reply(helpText(bot)).mapEmpty());
    // Answers with its argument: a quick way to see a round trip through the whole runtime.
    bot.command("echo", ctx -> ctx.reply(ctx.commandArgs().isEmpty() ? "Usage: /echo <text>" : ctx.commandArgs()).mapEmpty());
    bot.fallback(ctx -> {
      if (ctx.callbackData() != null) {
        return ctx.answerCallback(null);
      }
      if (ctx.text() == null) {
        return Future.succeededFuture();
      }
      return ctx.reply("I don't know that one. " + helpText(bot)).mapEmpty();
    });
    return bot;
  }

  static String helpText(Bot bot) {
    return "Commands: " + bot.commands().stream().map(c -> "/" + c).collect(Collectors.joining(", "));
  }
}
