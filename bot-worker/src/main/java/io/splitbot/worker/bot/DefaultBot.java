package io.splitbot.worker.bot;

import io.splitbot.worker.WorkerResources;
import io.splitbot.worker.desk.Desk;
import io.splitbot.worker.desk.bot.DeskBot;

/**
 * The bot bot-worker.jar runs: the service-request desk ({@link DeskBot}), which also answers /start, /help and
 * /echo. Replace what this builds to run your own handlers.
 */
public final class DefaultBot {
  private DefaultBot() {
  }

  public static Bot create(WorkerResources resources) {
    return DeskBot.create(Desk.forBot(resources));
  }
}
