package io.splitbot.worker;

import io.splitbot.shared.cluster.Refusal;
import io.splitbot.shared.config.SeedVariables;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.launch.GracefulShutdown;
import io.splitbot.shared.launch.Startup;
import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.module.BotModules;
import io.splitbot.worker.module.ModuleFailedException;
import io.splitbot.worker.cli.SplitbotCli;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bot-worker.jar. Without arguments it runs the service: BOT_ROLE=all (edge and worker in one JVM) or
 * BOT_ROLE=worker (the worker alone, in the cluster). With arguments it is the operator's CLI, whose {@code sandbox}
 * runs the service offline against the Bot API emulator.
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {
  }

  private static ModuleFailedException moduleFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ModuleFailedException m) {
        return m;
      }
    }
    return null;
  }

  public static void main(String[] args) {
    if (args.length > 0) {
      System.exit(SplitbotCli.run(args));
    }
    WorkerConfig workerConfig = Startup.orExit(() -> WorkerConfig.fromEnv(System.getenv()));
    serve(workerConfig, vertx -> router -> { });
  }

  /**
   * Runs the service on this configuration until SIGTERM: the module, Vert.x, the worker (and the edge with
   * BOT_ROLE=all), the graceful shutdown. A start-up failure ends the process with its one line.
   *
   * @param extraRoutes what else the worker's port serves, given the worker's Vert.x (the sandbox's chat page)
   */
  public static SplitbotApp serve(WorkerConfig workerConfig, Function<Vertx, Consumer<Router>> extraRoutes) {
    SplitbotConfig config = workerConfig.core();
    BotModule module = Startup.orExit(() -> BotModules.select(workerConfig.botModule(), WorkerMain.class.getClassLoader()));
    Vertx vertx = null;
    try {
      vertx = VertxFactory.create(config).await();
      Vertx bus = vertx;
      Refusal.onLate(vertx, line -> Startup.refuse(bus, line, true));
      SplitbotApp app = SplitbotApp.deploy(vertx, workerConfig, module, extraRoutes.apply(vertx)).await();
      GracefulShutdown.install(vertx, config.delivery().shutdownGraceSeconds(), app::drain);
      log.info("splitbot started: BOT_ROLE={}, TELEGRAM_MODE={}, bot module {}", config.role().name().toLowerCase(),
          config.telegram().mode(), module.getClass().getName());
      SeedVariables.warnIgnored(workerConfig.env(), log);
      return app;
    } catch (Throwable e) {
      Refusal refused = Refusal.in(e);
      if (refused != null) {
        Startup.refuse(vertx, refused.getMessage(), false);
      }
      ModuleFailedException failed = moduleFailure(e);
      if (failed != null) {
        // One line on stderr, as for any other start-up error the operator must fix.
        System.err.println("splitbot: " + (failed.configuration() ? "configuration error: " : "") + Redactor.mask(failed.getMessage()));
        System.exit(failed.configuration() ? 2 : 1);
      }
      log.error("bot-worker failed to start: {}", Redactor.mask(String.valueOf(e.getMessage())));
      System.exit(1);
      return null;
    }
  }
}
