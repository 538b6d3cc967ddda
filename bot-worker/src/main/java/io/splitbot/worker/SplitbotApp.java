package io.splitbot.worker;

import io.splitbot.edge.EdgeVerticle;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.function.Consumer;

/**
 * Deploys what a bot-worker.jar process runs: the worker, and with BOT_ROLE=all the edge beside it on the local
 * event bus. The worker starts first, so updates the edge replays from its spool find it ready.
 */
public final class SplitbotApp {
  private final WorkerVerticle worker;
  private final EdgeVerticle edge;

  private SplitbotApp(WorkerVerticle worker, EdgeVerticle edge) {
    this.worker = worker;
    this.edge = edge;
  }

  public static Future<SplitbotApp> deploy(Vertx vertx, WorkerConfig config, BotModule module) {
    return deploy(vertx, config, module, router -> { });
  }

  /** @param extraRoutes mounted on the worker's port beside the module's (the sandbox's chat page) */
  public static Future<SplitbotApp> deploy(Vertx vertx, WorkerConfig config, BotModule module, Consumer<Router> extraRoutes) {
    WorkerVerticle worker = new WorkerVerticle(config, module, extraRoutes);
    return vertx.deployVerticle(worker).compose(id -> {
      if (!config.core().role().runsEdge()) {
        return Future.succeededFuture(new SplitbotApp(worker, null));
      }
      EdgeVerticle edge = new EdgeVerticle(config.core());
      return vertx.deployVerticle(edge).map(eid -> new SplitbotApp(worker, edge));
    });
  }

  public WorkerVerticle worker() {
    return worker;
  }

  /** The edge, or null with BOT_ROLE=worker. */
  public EdgeVerticle edge() {
    return edge;
  }

  /** Shutdown order: the edge stops taking and forwarding updates, then the worker finishes what it has. */
  public Future<Void> drain() {
    Future<Void> edgeDrained = edge == null ? Future.succeededFuture() : edge.drain();
    return edgeDrained.compose(v -> worker.drain());
  }
}
