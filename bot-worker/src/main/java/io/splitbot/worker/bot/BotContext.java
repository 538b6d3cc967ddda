package io.splitbot.worker.bot;

import io.splitbot.shared.config.Env;
import io.splitbot.worker.profile.Profiles;
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

  /**
   * The API of the first platform this worker is configured for (Telegram when its token is set, else MAX), for calls
   * outside an update. Without any token it is Telegram's, and every call fails saying what to set.
   */
  PlatformApi api();

  /**
   * The API of {@code platform} ("telegram", "max"), configured or not ({@link PlatformApi#configured()}): a user is
   * reached on the platform they wrote from. Throws IllegalArgumentException for a platform the runtime does not know.
   */
  PlatformApi api(String platform);

  /**
   * The worker's HTTP router (WORKER_PORT, private on Render): a bot mounts its own endpoints here and guards them
   * itself. Mount under a path of your own, such as {@code /api/v1/mybot}.
   */
  Router router();

  /**
   * Who the users are, per platform: the runtime records every update's sender here before the handlers run (the
   * users table, cached in Redis or memory for PROFILE_TTL), so a bot can name anyone who has written to it.
   */
  Profiles profiles();

  /** Redis when REDIS_URL is set, else null. */
  RedisAPI redis();

  /**
   * The record layer under the key-value stores: kinds of typed records with backend-specific strengths (SQL search
   * on PostgreSQL). Most bots need only {@link #store(String)}.
   */
  Storage storage();
}
