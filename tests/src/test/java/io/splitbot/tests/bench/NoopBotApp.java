package io.splitbot.tests.bench;

import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.vertx.core.Vertx;

/**
 * What bot-worker.jar runs with BOT_ROLE=all (the real edge and the real worker pipeline: spool, forwarder, event
 * bus, dedup, per-chat sequencer), configured from the environment the same way, but with a bot that has no
 * handlers: every update is handled at once and makes no Bot API call. The ack cases use it so that the worker keeps
 * up with the edge and costs as little CPU as a worker can; the edge is what they measure.
 */
public final class NoopBotApp {
  private NoopBotApp() {
  }

  public static void main(String[] args) throws Exception {
    WorkerConfig config = WorkerConfig.fromEnv(System.getenv());
    Vertx vertx = VertxFactory.create(config.core()).await();
    SplitbotApp app = SplitbotApp.deploy(vertx, config, context -> new Bot()).await();
    System.out.println("noop-bot app listening on " + app.edge().actualPort());
  }
}
