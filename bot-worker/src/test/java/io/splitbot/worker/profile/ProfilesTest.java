package io.splitbot.worker.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.bot.Sender;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.UserRepository;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Profile capture writes the users table only when something changed; the embedded cache expires and stays bounded. */
class ProfilesTest {
  private Vertx vertx;
  private Storage storage;

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    storage = new JsonStorage(vertx, dir, false);
    storage.start().await();
  }

  @AfterEach
  void close() {
    storage.close().await();
    vertx.close().await();
  }

  static Sender from(long id, String first, String lang) {
    return new Sender("telegram", id, first, "Petrov", "u" + id, lang, false);
  }

  /** Counts upserts, to see which captures reach storage. */
  private UserRepository counting(AtomicInteger writes) {
    return new UserRepository(storage) {
      @Override
      public Future<UserProfile> upsert(UserProfile p) {
        writes.incrementAndGet();
        return super.upsert(p);
      }
    };
  }

  @Test
  void captureWritesOnlyWhatChangedAndRespectsManualProfiles() {
    AtomicInteger writes = new AtomicInteger();
    Profiles profiles = new Profiles(counting(writes), new EmbeddedProfileCache(3600, 100, Clock.systemUTC()), 3600, Clock.systemUTC());

    profiles.capture(from(1, "Ivan", "ru")).await();
    profiles.capture(from(1, "Ivan", "ru")).await();
    profiles.capture(from(1, "Ivan", "ru")).await();
    assertEquals(1, writes.get(), "the same profile again is a cache hit");
    UserProfile stored = storage.users().find("telegram", 1).await().orElseThrow();
    assertEquals("Ivan", stored.firstName());
    assertEquals("ru", stored.languageCode());
    assertEquals("webhook", stored.profileSource());

    profiles.capture(from(1, "Ivan", "en")).await();
    assertEquals(2, writes.get(), "a changed language is written");
    assertEquals("en", storage.users().find("telegram", 1).await().orElseThrow().languageCode());

    // a fresh process (empty cache) finds the stored profile unchanged and writes nothing
    Profiles restarted = new Profiles(counting(writes), new EmbeddedProfileCache(3600, 100, Clock.systemUTC()), 3600, Clock.systemUTC());
    restarted.capture(from(1, "Ivan", "en")).await();
    assertEquals(2, writes.get());

    storage.users().upsert(new UserProfile("telegram", 2, "Staff Name", null, null, "ru", UserProfile.SOURCE_MANUAL, null, null)).await();
    restarted.capture(from(2, "Telegram Name", "en")).await();
    assertEquals("Staff Name", storage.users().find("telegram", 2).await().orElseThrow().firstName(), "a manual profile is kept");

    assertEquals(Optional.empty(), profiles.capture(new Sender("telegram", 3, "Bot", null, "a_bot", null, true)).await(),
        "bots are not recorded");
    assertEquals(Optional.empty(), profiles.capture(null).await(), "an update without a sender records nobody");
    assertEquals("Ivan Petrov", profiles.displayName("telegram", 1).await());
    assertEquals("42", profiles.displayName("telegram", 42).await());
  }

  @Test
  void theEmbeddedCacheExpiresAfterTheTtlAndKeepsTheMostRecent() {
    MutableClock clock = new MutableClock();
    EmbeddedProfileCache cache = new EmbeddedProfileCache(60, 2, clock);
    cache.put(UserProfile.fromWebhook("telegram", 1, "A", null, null, null)).await();
    clock.advance(Duration.ofSeconds(59));
    assertTrue(cache.get("telegram", 1).await().isPresent());
    clock.advance(Duration.ofSeconds(2));
    assertTrue(cache.get("telegram", 1).await().isEmpty(), "expired after PROFILE_TTL");
    cache.put(UserProfile.fromWebhook("telegram", 1, "A", null, null, null)).await();
    cache.put(UserProfile.fromWebhook("telegram", 2, "B", null, null, null)).await();
    cache.get("telegram", 1).await();
    cache.put(UserProfile.fromWebhook("telegram", 3, "C", null, null, null)).await();
    assertEquals(2, cache.size());
    assertTrue(cache.get("telegram", 2).await().isEmpty(), "the least recently used went first");
    assertTrue(cache.get("telegram", 1).await().isPresent());
  }

  @Test
  void theSameIdOnTwoPlatformsIsTwoPeopleInStorageAndInTheCache() {
    EmbeddedProfileCache cache = new EmbeddedProfileCache(3600, 100, Clock.systemUTC());
    Profiles profiles = new Profiles(storage.users(), cache, 3600, Clock.systemUTC());
    profiles.capture(new Sender("telegram", 5, "Anna", "Telegram", "anna", "ru", false)).await();
    profiles.capture(new Sender("max", 5, "Boris", "Max", null, "en", false)).await();

    assertEquals("Anna Telegram", profiles.displayName("telegram", 5).await());
    assertEquals("Boris Max", profiles.displayName("max", 5).await());
    assertEquals("ru", profiles.languageCode("telegram", 5).await());
    assertEquals("en", profiles.languageCode("max", 5).await());
    assertEquals(2, cache.size(), "two cache entries");
    assertEquals("max", cache.get("max", 5).await().orElseThrow().platform());
    assertEquals("Anna", storage.users().find("telegram", 5).await().orElseThrow().firstName());
    assertEquals("Boris", storage.users().find("max", 5).await().orElseThrow().firstName());
    assertEquals("profile:user:5", ProfileCache.key("telegram", 5), "Telegram keeps the key it had before platforms");
    assertEquals("profile:max:5", ProfileCache.key("max", 5));
  }

  static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2025-09-27T10:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
