package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.tests.support.Poll;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.Tx;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.migration.MigrationLease;
import io.splitbot.worker.storage.migration.MigrationState;
import io.splitbot.worker.storage.model.KeyValueEntry;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auto migration's lease in PostgreSQL (taken by one of many at once, renewed, lapsing, taken over, released)
 * and dual storage's read side: the secondary while the migration is owed, the primary once the marker is there.
 */
class MigrationLeaseAndReadSwitchTest {
  static final long TTL = 30_000;
  static Vertx vertx;
  static final List<String> databases = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    for (String db : databases) {
      PgDatabases.drop(db);
    }
  }

  private static String database() throws Exception {
    String db = PgDatabases.create("lease");
    databases.add(db);
    return db;
  }

  private static Storage postgres(String db, Path dir) {
    Storage pg = StorageFactory.create(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", PgDatabases.url(db)), dir));
    await(pg.start());
    return pg;
  }

  @Test
  void oneOfManyTakesTheLeaseItIsRenewedLapsesIsTakenOverAndReleased(@TempDir Path dir) throws Exception {
    Storage pg = postgres(database(), dir);
    AtomicLong clock = new AtomicLong(1_000_000);
    try {
      // eight workers starting together on a primary that has no lease yet: exactly one gets it
      List<MigrationLease> racing = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racing.add(new MigrationLease(pg, "worker-" + i, TTL, clock::get));
      }
      List<Future<MigrationLease.Holder>> tries = racing.stream().map(MigrationLease::acquire).toList();
      await(Future.join(new ArrayList<Future<?>>(tries)));
      List<MigrationLease.Holder> held = tries.stream().map(Future::result).filter(MigrationLease.Holder::held).toList();
      assertEquals(1, held.size(), "one holder: " + tries.stream().map(Future::result).toList());
      String winner = held.get(0).owner();
      for (Future<MigrationLease.Holder> t : tries) {
        if (!t.result().held()) {
          assertTrue(t.result().owner() == null || t.result().owner().equals(winner), t.result().toString());
        }
      }

      MigrationLease a = new MigrationLease(pg, winner, TTL, clock::get);
      MigrationLease b = new MigrationLease(pg, "worker-b", TTL, clock::get);
      MigrationLease.Holder other = await(b.acquire());
      assertFalse(other.held());
      assertEquals(winner, other.owner());

      // renewed halfway: still held past the first expiry
      clock.addAndGet(TTL / 2);
      MigrationLease.Holder renewed = await(a.acquire());
      assertTrue(renewed.held());
      assertEquals(clock.get() + TTL, renewed.expiresAt());
      clock.addAndGet(TTL * 3 / 4);
      assertFalse(await(b.acquire()).held(), "renewed, so not lapsed");
      assertTrue(await(a.holder()).held());

      // the holder stops renewing (it died): once lapsed, another worker takes it over, and the old one is out
      clock.addAndGet(TTL);
      assertFalse(await(a.holder()).held(), "lapsed");
      MigrationLease.Holder takeover = await(b.acquire());
      assertTrue(takeover.held());
      assertEquals("worker-b", takeover.owner());
      MigrationLease.Holder late = await(a.acquire());
      assertFalse(late.held());
      assertEquals("worker-b", late.owner());

      // released: free at once, no wait for the expiry
      await(a.release());
      assertFalse(await(a.acquire()).held(), "only the holder can release it");
      await(b.release());
      assertTrue(await(a.acquire()).held());
    } finally {
      await(pg.close());
    }
  }

  private static Map<String, String> dualEnv(String db, boolean explicitPair) {
    Map<String, String> env = new HashMap<>();
    env.put("STORAGE_BACKEND", "dual");
    env.put("DATABASE_URL", PgDatabases.url(db));
    env.put("DUAL_REPAIR_INTERVAL", "200ms");
    if (explicitPair) {
      env.put("DUAL_PRIMARY", "postgresql");
      env.put("DUAL_SECONDARY", "json");
    }
    return env;
  }

  private static DualStorage openDual(String db, boolean explicitPair, Path dir) {
    DualStorage dual = (DualStorage) StorageFactory.create(vertx, StorageConfig.fromEnv(dualEnv(db, explicitPair), dir));
    await(dual.start());
    return dual;
  }

  private static void seedJson(Path dataDir) {
    JsonStorage json = new JsonStorage(vertx, dataDir.resolve("storage"), false);
    await(json.start());
    await(json.users().upsert(UserProfile.fromWebhook("telegram", 501, "Old", "Timer", "old_timer", "ru")));
    await(json.keyValue("scores").put("chat-1", new JsonObject().put("n", 41)));
    await(json.close());
  }

  @Test
  void readsComeFromTheSecondaryUntilTheMarkerThenFromThePrimary(@TempDir Path dir) throws Exception {
    String db = database();
    seedJson(dir);
    DualStorage dual = openDual(db, false, dir);
    try {
      assertEquals("secondary", dual.readSide(), "seed 003's implicit pair: the primary misses the old records");
      assertTrue(await(dual.users().find("telegram", 501)).isPresent(), "a user only the JSON files hold is found");
      await(dual.primary().users().upsert(UserProfile.fromWebhook("telegram", 777, "Only", "Pg", "only_pg", "en")));
      assertTrue(await(dual.users().find("telegram", 777)).isEmpty(), "not read from the primary yet");

      // a change that reads first builds on the old record, which it brings into the primary
      String key = KeyValueEntry.recordKey("scores", "chat-1");
      int n = await(dual.update(List.of(Tx.ref(Kinds.KEY_VALUE, key)), tx -> {
        KeyValueEntry e = tx.get(Kinds.KEY_VALUE, key);
        int next = e.value().getInteger("n") + 1;
        tx.put(Kinds.KEY_VALUE, new KeyValueEntry("scores", "chat-1", new JsonObject().put("n", next), null));
        return next;
      }));
      assertEquals(42, n);
      assertEquals(42, await(dual.primary().keyValue("scores").get("chat-1")).getInteger("n"));
      assertEquals(42, await(dual.secondary().keyValue("scores").get("chat-1")).getInteger("n"));

      // another worker (or the CLI) completes the migration: this one sees the marker and reads the primary
      await(MigrationState.markDone(dual.primary(), "json", "postgresql", 100.0, 3, "another-worker"));
      Poll.until(() -> dual.readSide().equals("primary"), Duration.ofSeconds(DualStorage.MARKER_POLL_MS / 1000 * 5),
          () -> "the worker did not switch its reads to the primary");
      assertTrue(await(dual.users().find("telegram", 777)).isPresent(), "read from the primary now");
      assertTrue(await(dual.users().find("telegram", 501)).isEmpty(),
          "the primary is read (this test never migrated that user)");
      assertEquals("primary", dual.stats().getString("reads"));
    } finally {
      await(dual.close());
    }

    // a restart finds the marker at once
    DualStorage again = openDual(db, false, dir);
    try {
      assertEquals("primary", again.readSide());
    } finally {
      await(again.close());
    }
  }

  /**
   * Reading the secondary while the migration is owed, the repair rule holds for the side read: a record the
   * secondary missed (it was down) is read from the primary until repaired; any other read fails as "retry later"
   * rather than ask the primary, which misses the old records.
   */
  @Test
  void aRecordTheSecondaryOwesIsReadFromThePrimaryAndAnUnavailableSecondaryIsNotReplaced(@TempDir Path dir)
      throws Exception {
    String db = database();
    FakeAirtableApi airtable = FakeAirtableApi.start(vertx, AirtableEnv.TABLES).await().rateLimit(1000, 100);
    Map<String, String> env = new HashMap<>(AirtableEnv.env(airtable));
    env.putAll(dualEnv(db, false));
    env.put("DUAL_PRIMARY", "postgresql");
    env.put("DUAL_SECONDARY", "airtable");
    env.put("AUTO_MIGRATE", "true");
    env.put("AIRTABLE_MAX_RETRIES", "0");
    env.put("AIRTABLE_RATE_LIMIT", "200");
    env.put("DUAL_REPAIR_INTERVAL", "1h"); // drained by the test
    DualStorage dual = (DualStorage) StorageFactory.create(vertx, StorageConfig.fromEnv(env, dir));
    await(dual.start());
    try {
      assertEquals("secondary", dual.readSide());
      airtable.down(true);
      await(dual.users().upsert(UserProfile.fromWebhook("telegram", 321, "New", "Comer", "newcomer", "en")));
      assertEquals(1, dual.queue().size(), "the secondary missed the write");
      assertTrue(await(dual.users().find("telegram", 321)).isPresent(), "read from the primary, which has it");
      Throwable down = StorageContractTest.failure(dual.users().find("telegram", 999));
      assertTrue(down instanceof StorageUnavailableException, String.valueOf(down));

      airtable.down(false);
      assertEquals(0, await(dual.drainNow()));
      assertEquals(1, airtable.count("Users"), "repaired into the secondary");
      assertTrue(await(dual.users().find("telegram", 321)).isPresent(), "now from the secondary");
    } finally {
      await(dual.close());
      airtable.close();
    }
  }

  /** Seed 003's manual flow: the CLI's validated migration from the secondary into the primary writes the marker. */
  @Test
  void theClisValidatedMigrationIntoTheConfiguredPrimaryWritesTheMarker(@TempDir Path dir) throws Exception {
    String db = database();
    seedJson(dir);
    Map<String, String> env = dualEnv(db, false);
    env.put("MIGRATION_MODE", "manual");
    env.put("DATA_DIR", dir.toString());
    String marker = "SELECT count(*) FROM kv WHERE store = 'splitbot.migration' AND key = 'done'";

    MigrateCliTest.Run unvalidated = MigrateCliTest.migrate(env, "--from", "json", "--to", "postgresql", "--progress", "none");
    assertEquals(0, unvalidated.code(), unvalidated.out() + unvalidated.err());
    assertEquals(0, PgDatabases.count(db, marker), "not validated: no marker");
    MigrateCliTest.Run back = MigrateCliTest.migrate(env, "--from", "postgresql", "--to", "json", "--validate",
        "--progress", "none");
    assertEquals(0, back.code(), back.out() + back.err());
    assertEquals(0, PgDatabases.count(db, marker), "into the secondary: no marker");

    MigrateCliTest.Run someKinds = MigrateCliTest.migrate(env, "--from", "json", "--to", "postgresql", "--validate",
        "--kinds", "users", "--progress", "none");
    assertEquals(0, someKinds.code(), someKinds.out() + someKinds.err());
    assertEquals(0, PgDatabases.count(db, marker), "some kinds only: the others are still owed, no marker");

    MigrateCliTest.Run validated = MigrateCliTest.migrate(env, "--from", "json", "--to", "postgresql", "--validate",
        "--progress", "none");
    assertEquals(0, validated.code(), validated.out() + validated.err());
    assertTrue(validated.out().contains("integrity score: 100.00%"), validated.out());
    assertTrue(validated.out().contains("marker written"), validated.out());
    assertEquals(1, PgDatabases.count(db, marker));
    DualStorage dual = openDual(db, false, dir);
    try {
      assertEquals("primary", dual.readSide(), "the workers read the primary at once");
    } finally {
      await(dual.close());
    }
  }

  @Test
  void anExplicitPairWithoutAutoMigrationReadsItsPrimaryAsBefore(@TempDir Path dir) throws Exception {
    String db = database();
    seedJson(dir);
    DualStorage dual = openDual(db, true, dir);
    try {
      assertEquals("primary", dual.readSide());
      assertTrue(await(dual.users().find("telegram", 501)).isEmpty(), "the primary is read, and it has no such user");
    } finally {
      await(dual.close());
    }
  }
}
