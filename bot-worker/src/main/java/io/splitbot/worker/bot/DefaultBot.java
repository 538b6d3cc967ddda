package io.splitbot.worker.bot;

import io.splitbot.worker.WorkerResources;
import io.splitbot.worker.bot.basic.WelcomeHandlers;

/** The bot bot-worker.jar runs. Replace what this builds to run your own handlers. */
public final class DefaultBot {
  private DefaultBot() {
  }

  public static Bot create(WorkerResources resources) {
    return WelcomeHandlers.install(new Bot());
  }
}
