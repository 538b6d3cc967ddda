package io.splitbot.edge;

import io.splitbot.edge.cli.EdgeCli;
import io.splitbot.shared.cluster.Refusal;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SeedVariables;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.launch.GracefulShutdown;
import io.splitbot.shared.launch.Startup;
import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.shared.log.Redactor;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * webhook-server.jar: the edge alone, joining the cluster where the worker runs. With arguments it is the operator's
 * dead-letter CLI ({@link EdgeCli}).
 */
public final class EdgeMain {
  private static final Logger log = LoggerFactory.getLogger(EdgeMain.class);

  private EdgeMain() {
  }

  public static void main(String[] args) {
    if (args.length > 0) {
      System.exit(EdgeCli.run(args));
    }
    SplitbotConfig config = Startup.orExit(() -> SplitbotConfig.fromEnv(System.getenv(), Role.EDGE));
    Vertx vertx = null;
    try {
      vertx = VertxFactory.create(config).await();
      Vertx bus = vertx;
      Refusal.onLate(vertx, line -> Startup.refuse(bus, line, true));
      EdgeVerticle edge = new EdgeVerticle(config);
      vertx.deployVerticle(edge).await();
      GracefulShutdown.install(vertx, config.delivery().shutdownGraceSeconds(), edge::drain);
      SeedVariables.warnIgnored(System.getenv(), log);
    } catch (Throwable e) {
      Refusal refused = Refusal.in(e);
      if (refused != null) {
        Startup.refuse(vertx, refused.getMessage(), false);
      }
      log.error("edge failed to start: {}", Redactor.mask(String.valueOf(e.getMessage())));
      System.exit(1);
    }
  }
}
