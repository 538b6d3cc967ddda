package io.splitbot.tests.scale;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;

/**
 * The scale-out tests' bot: {@code /echo <text>} replies the text at once; {@code /slow <text>} replies it after
 * {@code ECHO_SLOW_MS} (default {@value #SLOW_MS}) ms, waiting on a timer as a handler waiting on a slow service
 * does (no thread is held).
 */
public final class EchoModule implements BotModule {
  static final long SLOW_MS = 2000;

  @Override
  public Bot create(BotContext context) {
    long slowMs = context.env().integer("ECHO_SLOW_MS", (int) SLOW_MS, 0, 600_000);
    return new Bot()
        .command("echo", ctx -> ctx.reply(ctx.commandArgs()))
        .command("slow", ctx -> context.vertx().timer(slowMs).compose(t -> ctx.reply(ctx.commandArgs())));
  }
}
