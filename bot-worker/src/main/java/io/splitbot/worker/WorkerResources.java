package io.splitbot.worker;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.http.RateGate;
import io.splitbot.shared.http.RedisRateGate;
import io.splitbot.shared.deadletter.DeadLetterOwner;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.shared.redis.RedisClients;
import io.splitbot.shared.platform.max.MaxApiClient;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.worker.platform.WorkerPlatforms;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.worker.platform.max.MaxDialect;
import io.splitbot.worker.platform.telegram.TelegramDialect;
import io.splitbot.worker.dedup.Deduplicator;
import io.splitbot.worker.dedup.FileDeduplicator;
import io.splitbot.worker.dedup.RedisDeduplicator;
import io.splitbot.worker.effects.EffectLedger;
import io.splitbot.worker.effects.FileEffectLedger;
import io.splitbot.worker.effects.RedisEffectLedger;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.session.Sessions;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.redis.RedisKeyValueStore;
import io.splitbot.worker.storage.StorageFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;

/**
 * What the worker holds open: each platform's API client (Telegram's, MAX's; null when its token is not set; their
 * outgoing limits counted in Redis when REDIS_URL is set, so they hold for all workers together), the bot's storage (STORAGE_BACKEND), Redis when REDIS_URL is
 * set, the dedup, effect-ledger and dead-letter stores (Redis, or embedded files under DATA_DIR), and the users'
 * profiles every update's sender is recorded in. Handlers get
 * their storage (and, through {@code config}, their settings) from here.
 */
public record WorkerResources(BotApiClient api, MaxApiClient max, Storage storage, Redis redisClient, RedisAPI redis, Deduplicator dedup,
    EffectLedger effects, DeadLetterStore deadLetters, Profiles profiles, WorkerConfig config) {

  public static final String DEDUP_PREFIX = "splitbot:dedup";
  public static final String EFFECTS_PREFIX = "splitbot:effects";

  public static Future<WorkerResources> open(Vertx vertx, WorkerConfig workerConfig) {
    SplitbotConfig config = workerConfig.core();
    Redis client = config.redis().configured() ? RedisClients.create(vertx, config.redis()) : null;
    RedisAPI redis = client == null ? null : RedisAPI.api(client);
    // With Redis every worker counts the platforms' limits in it, so they hold for the bot as a whole.
    RateGate.Factory gates = redis == null ? RateGate.Factory.LOCAL : RedisRateGate.factory(redis);
    BotApiClient api = config.telegram().hasToken() ? new BotApiClient(vertx, config.telegram(), gates) : null;
    MaxApiClient max = config.max().enabled() ? new MaxApiClient(vertx, config.max(), gates) : null;
    long ttl = config.worker().dedupTtlSeconds();
    return StorageFactory.open(vertx, workerConfig.storage()).compose(storage -> {
      if (redis != null) {
        return Future.succeededFuture(new WorkerResources(api, max, storage, client, redis,
            new RedisDeduplicator(redis, DEDUP_PREFIX, ttl), new RedisEffectLedger(redis, EFFECTS_PREFIX, ttl),
            DeadLetterOwner.WORKER.open(vertx, config, redis),
            Profiles.of(storage, redis, workerConfig.profiles()), workerConfig));
      }
      return FileDeduplicator.open(vertx, config.dataDir(), ttl).compose(dedup ->
          FileEffectLedger.open(vertx, config.dataDir()).map(effects -> new WorkerResources(api, max, storage, null, null,
              dedup, effects, DeadLetterOwner.WORKER.open(vertx, config, null),
              Profiles.of(storage, null, workerConfig.profiles()), workerConfig)));
    }).onFailure(e -> {
      // Nothing holds these yet: the clients' gates stop their heartbeats, and the connections go.
      closeApis(api, max);
      if (client != null) {
        client.close();
      }
    });
  }

  /** Where chat sessions live: Redis when REDIS_URL is set, else the bot's storage backend. */
  public KeyValueStore sessionStore() {
    return redis != null ? new RedisKeyValueStore(redis, Sessions.STORE) : storage.keyValue(Sessions.STORE);
  }

  /** The platforms this worker answers on: those whose token is set. */
  public WorkerPlatforms platforms() {
    WorkerPlatforms platforms = new WorkerPlatforms();
    if (api != null) {
      platforms.add(TelegramDialect.INSTANCE, api::call);
    }
    if (max != null) {
      platforms.add(MaxDialect.INSTANCE, max::call);
    }
    return platforms;
  }

  public Future<Void> close() {
    closeApis(api, max);
    Future<Void> closed = dedup.close().eventually(effects::close).eventually(deadLetters::close).eventually(storage::close);
    if (redisClient != null) {
      closed = closed.eventually(() -> {
        redisClient.close();
        return Future.succeededFuture();
      });
    }
    return closed;
  }

  private static void closeApis(BotApiClient api, MaxApiClient max) {
    if (api != null) {
      api.close();
    }
    if (max != null) {
      max.close();
    }
  }
}
