package io.splitbot.desk;

import io.splitbot.desk.cards.RequestCards;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.worker.storage.Storage;
import io.vertx.redis.client.RedisAPI;
import io.splitbot.desk.i18n.Messages;
import io.splitbot.desk.notify.Notifier;
import io.splitbot.desk.numbering.RequestNumberAllocator;
import io.splitbot.worker.profile.Profiles;
import java.time.Clock;

/**
 * The service desk's parts, wired once from the module's context: texts, vocabulary, the domain service with its
 * number allocator, profiles, cards and notifications. The bot and the internal API each hold one.
 */
public record Desk(DeskConfig config, Messages messages, Vocabulary vocabulary, DeskService service,
    RequestNumberAllocator numbers, Profiles profiles, RequestCards cards, Notifier notifier) {

  /**
   * The desk on the runtime's storage, Redis (request numbers) and profiles, which the runtime captures. Refuses
   * ENABLE_DB_FALLBACK=false without REDIS_URL: the database counter would then be the only source of numbers, which
   * the setting forbids, so every new request would wait forever.
   */
  public static Desk of(DeskConfig config, Storage storage, RedisAPI redis, Profiles profiles) {
    if (!config.dbFallback() && redis == null) {
      throw new ConfigException("ENABLE_DB_FALLBACK=false needs REDIS_URL: without Redis the database counter is the "
          + "only source of request numbers (set REDIS_URL, or leave ENABLE_DB_FALLBACK unset)");
    }
    Clock clock = Clock.systemUTC();
    Messages messages = Messages.load(config.defaultLanguage());
    RequestNumberAllocator numbers = new RequestNumberAllocator(new DeskStorage(storage).counters(), redis,
        config.timeZone(), clock, config.dbFallback(), config.dbFallbackBatchSize());
    DeskService service = new DeskService(storage, numbers);
    RequestCards cards = new RequestCards(service, profiles, config);
    return new Desk(config, messages, new Vocabulary(messages), service, numbers, profiles, cards,
        new Notifier(messages, profiles, cards, config));
  }
}
