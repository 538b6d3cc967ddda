package io.splitbot.worker.module;

import io.splitbot.shared.config.Env;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.worker.WorkerResources;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StoreNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.RedisAPI;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link BotContext} the worker hands a module: views onto the resources the worker opened. */
public final class RuntimeBotContext implements BotContext {
  private final Vertx vertx;
  private final WorkerResources resources;
  private final Router router;
  private final Env env;
  private final Logger logger;

  public RuntimeBotContext(Vertx vertx, WorkerResources resources, Router router, Map<String, String> env, String moduleName) {
    this.vertx = vertx;
    this.resources = resources;
    this.router = router;
    this.env = new Env(env);
    this.logger = LoggerFactory.getLogger(moduleName);
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Env env() {
    return env;
  }

  @Override
  public Logger logger() {
    return logger;
  }

  @Override
  public KeyValueStore store(String name) {
    return resources.storage().keyValue(StoreNames.checkBotName(name));
  }

  @Override
  public PlatformApi api() {
    return new TelegramApi(resources.api());
  }

  @Override
  public Router router() {
    return router;
  }

  @Override
  public RedisAPI redis() {
    return resources.redis();
  }

  @Override
  public Storage storage() {
    return resources.storage();
  }

  /** Telegram's Bot API outside an update; without a token every call fails with what to set. */
  private record TelegramApi(BotApiClient client) implements PlatformApi {
    @Override
    public String platform() {
      return "telegram";
    }

    @Override
    public boolean configured() {
      return client != null;
    }

    @Override
    public Future<Object> call(String method, JsonObject params) {
      return client == null
          ? Future.failedFuture(new IllegalStateException("TELEGRAM_BOT_TOKEN is not set"))
          : client.call(method, params);
    }
  }
}
