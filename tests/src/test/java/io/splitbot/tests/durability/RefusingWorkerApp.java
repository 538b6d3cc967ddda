package io.splitbot.tests.durability;

import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.bus.BusMessages;
import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.basic.WelcomeHandlers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real worker (BOT_ROLE from the environment, clustered as bot-worker.jar is), with one fault: while the file
 * {@code REFUSE_WHILE} exists, it refuses the update {@code REFUSE_UPDATE_ID} with a 400, as a worker does with a
 * message it cannot take. An inbound interceptor does it before the pipeline sees the update, and prints one line per
 * refusal, so a test can count them. Deleting the file makes it take the update like any other.
 */
public final class RefusingWorkerApp {
  static final String REFUSED_LINE = "refusing update ";

  private RefusingWorkerApp() {
  }

  public static void main(String[] args) throws Exception {
    WorkerConfig config = WorkerConfig.fromEnv(System.getenv());
    long refused = Long.parseLong(System.getenv("REFUSE_UPDATE_ID"));
    Path refuseWhile = Path.of(System.getenv("REFUSE_WHILE"));
    Vertx vertx = VertxFactory.create(config.core()).await();
    vertx.eventBus().addInboundInterceptor(delivery -> {
      if (Addresses.WORKER_UPDATES.equals(delivery.message().address())
          && BusMessages.update(delivery.message().body()).order() == refused
          && Files.exists(refuseWhile)) {
        System.out.println(REFUSED_LINE + refused);
        delivery.message().fail(400, "refused by RefusingWorkerApp");
        return;
      }
      delivery.next();
    });
    SplitbotApp.deploy(vertx, config, context -> WelcomeHandlers.install(new Bot())).await();
    System.out.println("refusing worker started");
  }
}
