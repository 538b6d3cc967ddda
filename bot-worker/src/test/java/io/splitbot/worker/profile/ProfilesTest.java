package io.splitbot.worker.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.bot.Sender;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.UserRepository;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.model.UserProfile;
import io.splitbot.worker.monitoring.CacheStats;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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

  /** A cache that counts its calls and answers as told: at once from memory, or never (a Redis that hangs). */
  private static final class ProbedCache implements ProfileCache {
    final EmbeddedProfileCache memory = new EmbeddedProfileCache(3600, 100, Clock.systemUTC());
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger puts = new AtomicInteger();
    final boolean answers;

    ProbedCache(boolean answers) {
      this.answers = answers;
    }

    @Override
    public Future<Optional<UserProfile>> get(String platform, long userId) {
      gets.incrementAndGet();
      return answers ? memory.get(platform, userId) : Promise.<Optional<UserProfile>>promise().future();
    }

    @Override
    public Future<Void> put(UserProfile profile) {
      puts.incrementAndGet();
      return answers ? memory.put(profile) : Promise.<Void>promise().future();
    }
  }

  @Test
  void withTheCacheOffEveryLookupAndCaptureGoesToStorageAndNothingIsCached() {
    ProbedCache cache = new ProbedCache(true);
    AtomicInteger writes = new AtomicInteger();
    Profiles profiles = new Profiles(counting(writes), cache, new ProfileSettings(3600, false, 3000, 100), Clock.systemUTC());
    long missesBefore = CacheStats.named(Profiles.CACHE_NAME).misses();

    profiles.capture(from(7, "Olga", "ru")).await();
    profiles.capture(from(7, "Olga", "ru")).await();
    assertEquals(1, writes.get(), "the stored profile, unchanged and fresh, is not written again");
    assertEquals("Olga Petrov", profiles.displayName("telegram", 7).await());
    assertEquals("Olga", storage.users().find("telegram", 7).await().orElseThrow().firstName());
    assertEquals(0, cache.gets.get() + cache.puts.get(), "the cache is never asked nor filled");
    assertEquals(missesBefore, CacheStats.named(Profiles.CACHE_NAME).misses(), "no lookup, so no miss counted");
  }

  @Test
  void aCacheThatDoesNotAnswerWithinTheTimeoutIsAMissAndStorageAnswers() {
    ProbedCache cache = new ProbedCache(false);
    Profiles profiles = new Profiles(storage.users(), cache, new ProfileSettings(3600, true, 200, 100), Clock.systemUTC());
    CacheStats stats = CacheStats.named(Profiles.CACHE_NAME).platform("telegram");
    long missesBefore = stats.misses();

    UserProfile saved = profiles.capture(from(8, "Pavel", "en")).await().orElseThrow();
    assertEquals("Pavel", saved.firstName(), "captured although the cache never answered its lookup nor its write");
    assertEquals("Pavel Petrov", profiles.displayName("telegram", 8).await());
    assertEquals(2, cache.gets.get());
    assertEquals(missesBefore + 2, stats.misses(), "each unanswered lookup counted as a miss");
  }

  @Test
  void theIntegrationRolloutUsesProfilesForAStableShareOfUsers() {
    profilesOf(100).capture(from(9, "Vera", "ru")).await();
    assertEquals("Vera Petrov", profilesOf(100).displayName("telegram", 9).await());
    assertEquals("ru", profilesOf(100).languageCode("telegram", 9).await());
    assertEquals("9", profilesOf(0).displayName("telegram", 9).await(), "outside: the id, as for a user never seen");
    assertEquals(null, profilesOf(0).languageCode("telegram", 9).await(), "outside: the default language");

    ProfileSettings quarter = new ProfileSettings(3600, true, 3000, 25);
    ProfileSettings half = new ProfileSettings(3600, true, 3000, 50);
    int inQuarter = 0;
    for (long user = 1; user <= 2000; user++) {
      boolean q = quarter.integrated("max", user);
      inQuarter += q ? 1 : 0;
      assertTrue(!q || half.integrated("max", user), "raising the percentage only adds users: " + user);
      assertEquals(q, quarter.integrated("max", user), "the same answer every time");
    }
    assertTrue(inQuarter > 400 && inQuarter < 600, "about a quarter of 2000 users: " + inQuarter);
    long user = java.util.stream.LongStream.rangeClosed(1, 2000).filter(u -> quarter.integrated("max", u)
        != quarter.integrated("telegram", u)).findFirst().orElseThrow();
    assertTrue(user > 0, "the platform is part of the key: the same id on two platforms may differ");
  }

  private Profiles profilesOf(int percent) {
    return new Profiles(storage.users(), ProfileCache.none(), new ProfileSettings(3600, true, 3000, percent), Clock.systemUTC());
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
