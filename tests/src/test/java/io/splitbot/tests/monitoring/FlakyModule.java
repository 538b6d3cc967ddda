package io.splitbot.tests.monitoring;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.bot.basic.WelcomeHandlers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A bot whose {@code /flaky} command fails on every attempt until {@link #fix()} is called, then answers "fixed"
 * (what an operator meets: a handler bug that dead-letters updates, fixed while they wait), and whose {@code /hold}
 * runs until {@link #release()} (a slow handler, with its chat's next updates waiting behind it). {@code /echo}
 * always answers.
 */
public final class FlakyModule implements BotModule {
  static final String ERROR = "the flaky handler is broken";
  private final AtomicBoolean broken = new AtomicBoolean(true);
  private final AtomicBoolean held = new AtomicBoolean(true);

  @Override
  public Bot create(BotContext context) {
    Vertx vertx = context.vertx();
    return WelcomeHandlers.install(new Bot())
        .command("flaky", ctx -> broken.get()
            ? Future.failedFuture(new IllegalStateException(ERROR))
            : ctx.reply("fixed"))
        .command("hold", ctx -> whileHeld(vertx).compose(v -> ctx.reply("released")));
  }

  /** Looks again every 20 ms, on the handler's event loop, until {@link #release()}. */
  private Future<Void> whileHeld(Vertx vertx) {
    return held.get() ? vertx.timer(20).compose(t -> whileHeld(vertx)) : Future.succeededFuture();
  }

  /** From now on {@code /flaky} answers. */
  public void fix() {
    broken.set(false);
  }

  /** Lets every {@code /hold} finish. */
  public void release() {
    held.set(false);
  }
}
