package io.splitbot.desk.bot;

import io.splitbot.desk.notify.Outbox;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.bot.UpdateContext;
import java.util.function.Function;

/**
 * Notifications from a handler go out on each recipient's platform, and at most once however often the update runs:
 * on the update's own platform through its context, on another one through that platform's API inside
 * {@code ctx.once} (a MAX requester hears of a change a Telegram admin made).
 */
final class BotOutbox {
  private BotOutbox() {
  }

  static Outbox of(UpdateContext ctx, Function<String, PlatformApi> platforms) {
    return (to, text, rows) -> {
      if (to.platform().equals(ctx.platform())) {
        return ctx.sendMessage(ctx.userTarget(to.id()), text, rows, null).mapEmpty();
      }
      return ctx.once("notify " + to, () -> {
        PlatformApi api = platforms.apply(to.platform());
        return api.sendMessage(api.userTarget(to.id()), text, rows, null);
      }).mapEmpty();
    };
  }

  /** For a desk that talks on one platform only: a user of another one is not reached. */
  static Function<String, PlatformApi> none() {
    return platform -> {
      throw new IllegalStateException("no API for " + platform + " here");
    };
  }
}
