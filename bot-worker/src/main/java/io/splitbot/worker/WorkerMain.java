package io.splitbot.worker;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.launch.GracefulShutdown;
import io.splitbot.shared.launch.Startup;
import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.bot.DefaultBot;
import io.splitbot.worker.cli.SplitbotCli;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bot-worker.jar. Without arguments it runs the service: BOT_ROLE=all (edge and worker in one JVM) or
 * BOT_ROLE=worker (the worker alone, in the cluster). With arguments it is the operator's CLI.
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {
  }

  public static void main(String[] args) {
    if (args.length > 0) {
      System.exit(SplitbotCli.run(args));
    }
    WorkerConfig workerConfig = Startup.orExit(() -> WorkerConfig.fromEnv(System.getenv()));
    SplitbotConfig config = workerConfig.core();
    try {
      Vertx vertx = VertxFactory.create(config).await();
      SplitbotApp app = SplitbotApp.deploy(vertx, workerConfig, DefaultBot::create).await();
      GracefulShutdown.install(vertx, config.delivery().shutdownGraceSeconds(), app::drain);
      log.info("splitbot started: BOT_ROLE={}, TELEGRAM_MODE={}", config.role().name().toLowerCase(), config.telegram().mode());
    } catch (Throwable e) {
      log.error("bot-worker failed to start: {}", Redactor.mask(String.valueOf(e.getMessage())));
      System.exit(1);
    }
  }
}
