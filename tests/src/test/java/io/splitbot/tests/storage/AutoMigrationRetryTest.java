package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.LogCapture;
import io.splitbot.tests.support.Poll;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.consistency.Progress;
import io.splitbot.worker.storage.dual.AutoMigration;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.migration.Checkpoints;
import io.splitbot.worker.storage.migration.MigrationReport;
import io.splitbot.worker.storage.migration.MigrationState;
import io.splitbot.worker.storage.migration.Migrator;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration at start when things go wrong: with its primary down (a private PostgreSQL cluster, stopped) it reports
 * failed and retrying, the storage keeps serving the old records from the secondary, and once the primary is back the
 * next attempt completes at 100% and reads switch; after a worker died halfway, the next one resumes from the
 * checkpoint in the primary.
 */
class AutoMigrationRetryTest {
  static final int USERS = 120;
  private final Vertx vertx = Vertx.vertx();
  private String db;
  private DualStorage dual;
  private AutoMigration migration;

  @AfterEach
  void cleanUp() throws Exception {
    if (migration != null) {
      migration.stop();
    }
    if (dual != null) {
      await(dual.close());
    }
    vertx.close().await();
    if (db != null) {
      PgDatabases.drop(db);
    }
  }

  /** Dual storage, with AUTO_MIGRATE, on {@link #USERS} users in the JSON files and on PostgreSQL; started. */
  private void autoMigrating(String databaseUrl, Path dir, String owner, String... more) {
    seedJson(dir);
    Map<String, String> env = new HashMap<>(Map.of("STORAGE_BACKEND", "dual", "DATABASE_URL", databaseUrl,
        "AUTO_MIGRATE", "true"));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    dual = (DualStorage) StorageFactory.create(vertx, StorageConfig.fromEnv(env, dir));
    await(dual.start());
    migration = new AutoMigration(vertx, dual, owner);
  }

  /**
   * A worker died halfway through the migration (its run stopped after three batches, leaving the checkpoint in the
   * primary): the worker that takes over resumes there instead of starting over.
   */
  @Test
  void anotherWorkerResumesFromTheCheckpointInThePrimary(@TempDir Path dir) throws Exception {
    db = PgDatabases.create("automig");
    autoMigrating(PgDatabases.url(db), dir, "worker-two", "MIGRATION_BATCH_SIZE", "25");
    try (LogCapture logs = LogCapture.attach()) {
      int[] batches = {0};
      Progress diesAfterThreeBatches = new Progress() {
        @Override
        public void start(String task, long total, long alreadyDone) {
        }

        @Override
        public void step(long n) {
          if (++batches[0] > 3) {
            throw new IllegalStateException("killed");
          }
        }

        @Override
        public void end() {
        }
      };
      MigrationReport first = await(new Migrator(dual.secondary(), dual.primary(), "json", "postgresql",
          new Migrator.Options(Kinds.all(), 25, false, true,
              Checkpoints.inStore(MigrationState.store(dual.primary()), MigrationState.CHECKPOINT), false),
          diesAfterThreeBatches).run());
      assertTrue(first.error() != null, "the first run stopped");
      String checkpoint = "SELECT count(*) FROM kv WHERE store = 'splitbot.migration' AND key = 'checkpoint'";
      assertEquals(1, PgDatabases.count(db, checkpoint), "a checkpoint in the primary");
      long before = PgDatabases.count(db, "SELECT count(*) FROM users");
      assertTrue(before >= 75 && before < USERS, before + " users copied by the first run");

      migration.start();
      Poll.until(() -> "done".equals(migration.status().getString("state")), Duration.ofSeconds(60),
          () -> "not done: " + migration.status());
      assertTrue(logs.all().contains("auto migration: copy users: " + USERS + " record(s), resuming at 75"),
          logs.all());
      JsonObject done = migration.status();
      assertEquals(USERS, done.getLong("copied"), done.encode());
      assertEquals(100.0, done.getDouble("integrity"), done.encode());
      assertEquals(USERS, PgDatabases.count(db, "SELECT count(*) FROM users"));
      assertEquals(0, PgDatabases.count(db, checkpoint), "cleared once the run completed");
    }
  }

  /**
   * A record only the primary holds (written there behind the bot's back) keeps the integrity below 100%: the run says
   * how many records differ, reads stay on the secondary, and the retry after the difference is gone completes.
   */
  @Test
  void belowOneHundredPercentReadsStayOnTheSecondaryUntilARetryReachesIt(@TempDir Path dir) throws Exception {
    db = PgDatabases.create("automig");
    autoMigrating(PgDatabases.url(db), dir, "worker-below");
    await(dual.primary().users().upsert(UserProfile.fromWebhook("telegram", 1, "Stray", null, null, "en")));
    try (LogCapture logs = LogCapture.attach()) {
      migration.start();
      Poll.until(() -> "failed".equals(migration.status().getString("state")), Duration.ofSeconds(60),
          () -> "not failed: " + migration.status());
      JsonObject failed = migration.status();
      assertEquals(1L, failed.getLong("differences"), failed.encode());
      assertTrue(failed.getDouble("integrity") < 100.0, failed.encode());
      assertEquals("secondary", failed.getString("reads"));
      assertEquals(0, PgDatabases.count(db, "SELECT count(*) FROM kv WHERE store = 'splitbot.migration' AND key = 'done'"),
          "no marker below 100%");
      assertTrue(logs.all().contains("with 1 difference(s)"), logs.all());

      try (var c = PgDatabases.connect(db); var st = c.createStatement()) {
        st.execute("DELETE FROM users WHERE user_id = 1");
      }
      Poll.until(() -> "done".equals(migration.status().getString("state")), Duration.ofSeconds(60),
          () -> "not done: " + migration.status());
      assertEquals(100.0, migration.status().getDouble("integrity"));
      assertEquals("primary", dual.readSide());
    }
  }

  private void seedJson(Path dir) {
    JsonStorage json = new JsonStorage(vertx, dir.resolve("storage"), false);
    await(json.start());
    List<UserProfile> users = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      users.add(UserProfile.fromWebhook("telegram", 3000 + u, "Json", "User" + u, null, "ru"));
    }
    await(json.records(Kinds.USERS).putAll(users, true));
    await(json.close());
  }

  @Test
  void aPrimaryThatIsDownFailsTheMigrationWhichRetriesAndCompletesOnceItIsBack(@TempDir Path dir) throws Exception {
    try (ThrowawayPostgres pg = ThrowawayPostgres.create(); LogCapture logs = LogCapture.attach()) {
      pg.createDatabase("automig");
      autoMigrating(pg.url("automig"), dir, "worker-retry", "MIGRATION_BATCH_SIZE", "25", "DATABASE_POOL_SIZE", "2");
      pg.stop();
      migration.start();
      Poll.until(() -> "failed".equals(migration.status().getString("state")), Duration.ofSeconds(30),
          () -> "not failed: " + migration.status());
      JsonObject failed = migration.status();
      assertEquals("DOWN", failed.getString("status"));
      assertTrue(failed.getString("reason").contains("retrying"), failed.encode());
      assertEquals("secondary", failed.getString("reads"));
      assertTrue(await(dual.users().find("telegram", 3007)).isPresent(), "served from the JSON files meanwhile");
      String warned = logs.lines().stream().filter(l -> l.contains("auto migration: json -> postgresql did not complete"))
          .findFirst().orElseThrow(() -> new AssertionError("no warning:\n" + logs.all()));
      assertTrue(warned.contains("trying again in 5 s"), warned);
      assertTrue(!warned.contains("127.0.0.1") && !warned.contains(dir.toString()), "no host, no path: " + warned);

      pg.start();
      Poll.until(() -> "done".equals(migration.status().getString("state")), Duration.ofSeconds(60),
          () -> "not done: " + migration.status());
      JsonObject done = migration.status();
      assertEquals(100.0, done.getDouble("integrity"), done.encode());
      assertEquals(USERS, done.getLong("copied"), done.encode());
      assertEquals("primary", done.getString("reads"));
      assertEquals("worker-retry", done.getString("holder"));
      assertEquals(USERS, PgDatabases.connectCount(pg, "automig", "SELECT count(*) FROM users"));
      migration.stop();
      await(dual.close()); // before the private cluster goes
      dual = null;
    }
  }
}
