package io.splitbot.desk;

import io.splitbot.desk.api.InternalApi;
import io.splitbot.desk.bot.DeskBot;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;

/**
 * The bundled service desk as a plug-in: its bot, and its internal REST API when INTERNAL_API_TOKEN is set. It uses
 * only the public bot API and its own storage, as any other module would.
 */
public final class DeskModule implements BotModule {
  /** The key-value store where /new confirmations keep the request numbers they reserved. */
  static final String RESERVATIONS = "desk-reservations";

  @Override
  public Bot create(BotContext context) {
    DeskConfig config = DeskConfig.fromEnv(context.env());
    // one desk for the bot and the API: one number allocator per worker, so its fallback block is one too
    Desk desk = Desk.of(config, context.storage(), context.redis(), context.profiles());
    if (config.apiEnabled()) {
      // served with or without a platform token: other services read and write requests through it
      new InternalApi(context, desk).mount(context.router());
    }
    return DeskBot.create(desk, context.store(RESERVATIONS), context::api);
  }
}
