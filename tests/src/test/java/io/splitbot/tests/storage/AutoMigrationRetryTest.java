package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.LogCapture;
import io.splitbot.tests.support.Poll;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.dual.AutoMigration;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migration at start with its primary down (a private PostgreSQL cluster, stopped): it reports failed and retrying,
 * the storage keeps serving the old records from the secondary, and once the primary is back the next attempt
 * completes at 100% and reads switch.
 */
class AutoMigrationRetryTest {
  static final int USERS = 120;

  @Test
  void aPrimaryThatIsDownFailsTheMigrationWhichRetriesAndCompletesOnceItIsBack(@TempDir Path dir) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (ThrowawayPostgres pg = ThrowawayPostgres.create()) {
      pg.createDatabase("automig");
      JsonStorage json = new JsonStorage(vertx, dir.resolve("storage"), false);
      await(json.start());
      List<UserProfile> users = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        users.add(UserProfile.fromWebhook("telegram", 3000 + u, "Json", "User" + u, null, "ru"));
      }
      await(json.records(Kinds.USERS).putAll(users, true));
      await(json.close());

      DualStorage dual = (DualStorage) StorageFactory.create(vertx, StorageConfig.fromEnv(Map.of(
          "STORAGE_BACKEND", "dual", "DATABASE_URL", pg.url("automig"), "AUTO_MIGRATE", "true",
          "MIGRATION_BATCH_SIZE", "25", "DATABASE_POOL_SIZE", "2"), dir));
      await(dual.start());
      AutoMigration migration = new AutoMigration(vertx, dual, "worker-retry");
      try (LogCapture logs = LogCapture.attach()) {
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
      } finally {
        migration.stop();
        await(dual.close());
      }
    } finally {
      vertx.close().await();
    }
  }
}
