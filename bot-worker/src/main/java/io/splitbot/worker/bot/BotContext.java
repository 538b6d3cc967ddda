package io.splitbot.worker.bot;

import io.splitbot.shared.config.Env;
import io.splitbot.worker.storage.Storage;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.redis.client.RedisAPI;
import org.slf4j.Logger;

/** What a {@link BotModule} gets at start: the runtime's resources the bot may use. */
public interface BotContext {
  Vertx vertx();

  /**
   * The process environment through the runtime's validated reader: {@code env().integer("GREETING_DELAY", 5, 0,
   * 60)} returns the value or throws a one-line error that names the variable, and start-up stops with it.
   */
  Env env();

  /** A logger named after the module. Secrets (tokens, passwords in URLs) are masked in every line. */
  Logger logger();

  /** The named key-value store for the bot's own data, in the configured backend. */
  KeyValueStore store(String name);

  /** The platform's API for calls outside an update. */
  PlatformApi api();

  /**
   * The worker's HTTP router (WORKER_PORT, private on Render): a bot mounts its own endpoints here and guards them
   * itself. Mount under a path of your own, such as {@code /api/v1/mybot}.
   */
  Router router();

  /** Redis when REDIS_URL is set, else null. */
  RedisAPI redis();

  /**
   * The record layer under the key-value stores: kinds of typed records with backend-specific strengths (SQL search
   * on PostgreSQL). Most bots need only {@link #store(String)}.
   */
  Storage storage();
}
