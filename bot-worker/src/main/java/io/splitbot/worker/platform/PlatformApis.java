package io.splitbot.worker.platform;

import io.splitbot.shared.telegram.AttemptGuard;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.platform.PlatformDialect.ApiCall;
import io.splitbot.worker.platform.WorkerPlatforms.WorkerPlatform;
import io.splitbot.worker.platform.max.MaxDialect;
import io.splitbot.worker.platform.telegram.TelegramDialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The platforms' APIs as a bot sees them outside an update ({@code BotContext.api}): each known platform's dialect
 * over the client the worker holds for it, or, when its token is not set here, an API whose calls fail saying which
 * variable to set.
 */
public final class PlatformApis {
  /** A platform the runtime knows, and the variable that turns it on. */
  private record Known(PlatformDialect dialect, String tokenVariable) {
  }

  /** In the order {@link #first()} prefers them. */
  private static final List<Known> KNOWN = List.of(
      new Known(TelegramDialect.INSTANCE, "TELEGRAM_BOT_TOKEN"),
      new Known(MaxDialect.INSTANCE, "MAX_BOT_TOKEN"));

  private final WorkerPlatforms configured;

  public PlatformApis(WorkerPlatforms configured) {
    this.configured = configured;
  }

  /** The first configured platform's API (Telegram preferred); Telegram's, unconfigured, when none is. */
  public PlatformApi first() {
    for (Known k : KNOWN) {
      PlatformApi api = of(k.dialect().platform());
      if (api.configured()) {
        return api;
      }
    }
    return of(KNOWN.get(0).dialect().platform());
  }

  /** The API of {@code name}; throws IllegalArgumentException for a platform the runtime does not know. */
  public PlatformApi of(String name) {
    Known known = KNOWN.stream().filter(k -> k.dialect().platform().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no platform '" + name + "': one of "
            + KNOWN.stream().map(k -> k.dialect().platform()).toList()));
    WorkerPlatform platform = null;
    for (WorkerPlatform p : configured.all()) {
      if (p.name().equals(name)) {
        platform = p;
      }
    }
    return new Api(known, platform);
  }

  /** One platform's API; {@code client} is null when its token is not set at this worker. */
  private record Api(Known known, WorkerPlatform client) implements PlatformApi {
    @Override
    public String platform() {
      return known.dialect().platform();
    }

    @Override
    public boolean configured() {
      return client != null;
    }

    @Override
    public Future<Object> call(String method, JsonObject params) {
      if (client == null) {
        return Future.failedFuture(new IllegalStateException(known.tokenVariable() + " is not set: "
            + platform() + " is not configured at this worker"));
      }
      return client.client().call(method, params, AttemptGuard.NONE);
    }

    @Override
    public String userTarget(long userId) {
      return known.dialect().userTarget(userId);
    }

    @Override
    public Future<JsonObject> sendMessage(String target, String text, List<List<Button>> rows, JsonObject extra) {
      ApiCall send;
      try {
        send = known.dialect().send(target, text, rows, extra);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(e);
      }
      return call(send.method(), send.params()).map(r -> r instanceof JsonObject o ? o : new JsonObject());
    }
  }
}
