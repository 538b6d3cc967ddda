package com.example.everywhere;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.bot.Button;
import java.util.List;

/**
 * A bot written once, with no platform in it: it answers on Telegram and on MAX alike. /start greets, a press of a
 * "k:" button is acknowledged and named, any other text is echoed with the platform and the sender's id.
 */
public final class EverywhereModule implements BotModule {
  @Override
  public Bot create(BotContext context) {
    return new Bot()
        .command("start", "Say hello", ctx -> ctx.reply("started on " + ctx.platform(),
            List.of(List.of(new Button("Press", "k:" + ctx.userId())))))
        .callback("k:", ctx -> ctx.answerCallback("ok")
            .compose(v -> ctx.reply("pressed " + ctx.callbackData() + " on " + ctx.platform())))
        .text(ctx -> ctx.reply(ctx.platform() + " " + ctx.from().id() + " said " + ctx.text()));
  }
}
