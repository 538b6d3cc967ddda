package io.splitbot.worker.profile;

import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.bot.Middleware;
import io.splitbot.worker.bot.Sender;
import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's step before every bot's handlers: records who sent the update (on any platform), so handlers,
 * notifications and /monitoring/profiles know every user's name and language. A failure to record is logged and the update goes on: nobody's request should wait on
 * a profile.
 */
public final class ProfileCapture implements Middleware {
  private static final Logger log = LoggerFactory.getLogger(ProfileCapture.class);

  private final Profiles profiles;

  public ProfileCapture(Profiles profiles) {
    this.profiles = profiles;
  }

  @Override
  public Future<Void> handle(UpdateContext ctx, Supplier<Future<Void>> next) {
    return Future.<Sender>future(p -> p.complete(ctx.from()))
        .compose(profiles::capture)
        .<Void>mapEmpty()
        .recover(e -> {
          log.warn("update {}: profile not recorded: {}", ctx.updateKey(), Redactor.mask(String.valueOf(e.getMessage())));
          return Future.succeededFuture();
        })
        .compose(v -> next.get());
  }
}
