package io.splitbot.worker.profile;

import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.bot.Middleware;
import io.splitbot.worker.bot.Sender;
import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Middleware: records who sent each update before any handler runs, so handlers and notifications know every
 * user's name and language. A failure to record is logged and the update goes on: nobody's request should wait on
 * a profile.
 */
public final class ProfileCapture implements Middleware {
  private static final Logger log = LoggerFactory.getLogger(ProfileCapture.class);

  private final Profiles profiles;
  private final Function<UpdateContext, Sender> sender;

  /** @param sender who sent an update (null: nobody to record), on any platform; the desk passes UpdateContext::from */
  public ProfileCapture(Profiles profiles, Function<UpdateContext, Sender> sender) {
    this.profiles = profiles;
    this.sender = sender;
  }

  @Override
  public Future<Void> handle(UpdateContext ctx, Supplier<Future<Void>> next) {
    return Future.<Sender>future(p -> p.complete(sender.apply(ctx)))
        .compose(profiles::capture)
        .<Void>mapEmpty()
        .recover(e -> {
          log.warn("update {}: profile not recorded: {}", ctx.updateKey(), Redactor.mask(String.valueOf(e.getMessage())));
          return Future.succeededFuture();
        })
        .compose(v -> next.get());
  }
}
