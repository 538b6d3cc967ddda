package io.splitbot.desk;

import io.splitbot.desk.cards.RequestCards;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.Storage;
import io.vertx.redis.client.RedisAPI;
import io.splitbot.desk.i18n.Messages;
import io.splitbot.desk.notify.Notifier;
import io.splitbot.desk.numbering.RequestNumberAllocator;
import io.splitbot.worker.profile.EmbeddedProfileCache;
import io.splitbot.worker.profile.ProfileCache;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.worker.profile.RedisProfileCache;
import java.time.Clock;

/**
 * The service desk's parts, wired once from the module's context: texts, vocabulary, the domain service with its
 * number allocator, profiles, cards and notifications. The bot and the internal API each hold one.
 */
public record Desk(DeskConfig config, Messages messages, Vocabulary vocabulary, DeskService service,
    RequestNumberAllocator numbers, Profiles profiles, RequestCards cards, Notifier notifier) {

  /** Embedded profiles kept in memory without Redis. */
  static final int EMBEDDED_PROFILES = 100_000;

  /** For the bot: the Redis profile cache, or an embedded one. */
  public static Desk forBot(DeskConfig config, Storage storage, RedisAPI redis) {
    ProfileCache cache = redis != null
        ? new RedisProfileCache(redis, config.profileTtlSeconds())
        : new EmbeddedProfileCache(config.profileTtlSeconds(), EMBEDDED_PROFILES, Clock.systemUTC());
    return create(config, storage, redis, cache);
  }

  /**
   * For the internal API: the Redis profile cache, or none. Without Redis the bot's embedded cache lives in the
   * bot, and a second one here could hold a profile the bot has since updated; storage is always current.
   */
  public static Desk forApi(DeskConfig config, Storage storage, RedisAPI redis) {
    ProfileCache cache = redis != null ? new RedisProfileCache(redis, config.profileTtlSeconds()) : ProfileCache.none();
    return create(config, storage, redis, cache);
  }

  public static Desk create(DeskConfig config, Storage storage, RedisAPI redis, ProfileCache cache) {
    Clock clock = Clock.systemUTC();
    Messages messages = Messages.load(config.defaultLanguage());
    RequestNumberAllocator numbers = new RequestNumberAllocator(new DeskStorage(storage).counters(), redis, config.timeZone(), clock);
    DeskService service = new DeskService(storage, numbers);
    Profiles profiles = new Profiles(storage.users(), cache, config.profileTtlSeconds(), clock);
    RequestCards cards = new RequestCards(service, profiles, config);
    return new Desk(config, messages, new Vocabulary(messages), service, numbers, profiles, cards,
        new Notifier(messages, profiles, cards, config));
  }
}
