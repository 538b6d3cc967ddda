package io.splitbot.worker.desk;

import io.splitbot.worker.WorkerResources;
import io.splitbot.worker.desk.cards.RequestCards;
import io.splitbot.worker.desk.i18n.Messages;
import io.splitbot.worker.desk.notify.Notifier;
import io.splitbot.worker.desk.numbering.RequestNumberAllocator;
import io.splitbot.worker.profile.EmbeddedProfileCache;
import io.splitbot.worker.profile.ProfileCache;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.worker.profile.RedisProfileCache;
import java.time.Clock;

/**
 * The service desk's parts, wired once from the worker's resources: texts, vocabulary, the domain service with its
 * number allocator, profiles, cards and notifications. The bot and the internal API each hold one.
 */
public record Desk(DeskConfig config, Messages messages, Vocabulary vocabulary, DeskService service,
    RequestNumberAllocator numbers, Profiles profiles, RequestCards cards, Notifier notifier) {

  /** Embedded profiles kept in memory without Redis. */
  static final int EMBEDDED_PROFILES = 100_000;

  /** For the bot: the Redis profile cache, or an embedded one. */
  public static Desk forBot(WorkerResources resources) {
    DeskConfig config = resources.config().desk();
    ProfileCache cache = resources.redis() != null
        ? new RedisProfileCache(resources.redis(), config.profileTtlSeconds())
        : new EmbeddedProfileCache(config.profileTtlSeconds(), EMBEDDED_PROFILES, Clock.systemUTC());
    return create(resources, cache);
  }

  /**
   * For the internal API: the Redis profile cache, or none. Without Redis the bot's embedded cache lives in the
   * bot, and a second one here could hold a profile the bot has since updated; storage is always current.
   */
  public static Desk forApi(WorkerResources resources) {
    DeskConfig config = resources.config().desk();
    ProfileCache cache = resources.redis() != null
        ? new RedisProfileCache(resources.redis(), config.profileTtlSeconds())
        : ProfileCache.none();
    return create(resources, cache);
  }

  public static Desk create(WorkerResources resources, ProfileCache cache) {
    DeskConfig config = resources.config().desk();
    Clock clock = Clock.systemUTC();
    Messages messages = Messages.load(config.defaultLanguage());
    RequestNumberAllocator numbers = new RequestNumberAllocator(resources.storage().counters(), resources.redis(),
        config.timeZone(), clock);
    DeskService service = new DeskService(resources.storage(), numbers);
    Profiles profiles = new Profiles(resources.storage().users(), cache, config.profileTtlSeconds(), clock);
    RequestCards cards = new RequestCards(service, profiles, config);
    return new Desk(config, messages, new Vocabulary(messages), service, numbers, profiles, cards,
        new Notifier(messages, profiles, cards, config));
  }
}
