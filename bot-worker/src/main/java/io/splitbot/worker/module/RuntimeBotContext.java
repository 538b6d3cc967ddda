package io.splitbot.worker.module;

import io.splitbot.shared.config.Env;
import io.splitbot.worker.WorkerResources;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.platform.PlatformApis;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StoreNames;
import io.vertx.core.Vertx;
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
  private final PlatformApis apis;

  public RuntimeBotContext(Vertx vertx, WorkerResources resources, Router router, Map<String, String> env, String moduleName) {
    this.vertx = vertx;
    this.resources = resources;
    this.router = router;
    this.env = new Env(env);
    this.logger = LoggerFactory.getLogger(moduleName);
    this.apis = new PlatformApis(resources.platforms());
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
    return apis.first();
  }

  @Override
  public PlatformApi api(String platform) {
    return apis.of(platform);
  }

  @Override
  public Profiles profiles() {
    return resources.profiles();
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
}
