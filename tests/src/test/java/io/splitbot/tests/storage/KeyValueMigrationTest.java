package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.storage.MigrateCliTest.Run;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.json.JsonStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A module's own key-value data moves with the migrate CLI like the desk's: json → postgresql, validated at 100%. */
class KeyValueMigrationTest {
  static Vertx vertx;
  static String database;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    database = PgDatabases.create("splitbot_kv_migrate");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    PgDatabases.drop(database);
  }

  static JsonObject value(String store, int i) {
    return new JsonObject().put("store", store).put("i", i).put("name", "Пользователь " + i)
        .put("tags", new JsonArray().add("a").add(i % 7)).put("score", i * 1.5).putNull("none");
  }

  @Test
  void aModulesStoresMigrateFromJsonToPostgresqlAndValidateAtOneHundredPercent(@TempDir Path dir) throws Exception {
    List<String> stores = List.of("users", "subscriptions", "matches");
    JsonStorage json = new JsonStorage(vertx, dir.resolve("storage"), false);
    await(json.start());
    for (String store : stores) {
      KeyValueStore s = json.keyValue(store);
      for (int i = 0; i < 120; i++) {
        await(s.put(String.format("%s/%04d", store.substring(0, 1), i), value(store, i)));
      }
    }
    await(json.close());

    Map<String, String> env = Map.of("DATA_DIR", dir.toString(), "DATABASE_URL", PgDatabases.url(database));
    Run run = MigrateCliTest.migrate(env, "--from", "json", "--to", "postgresql", "--kinds", "kv", "--validate",
        "--batch-size", "50", "--progress", "plain");
    assertEquals(0, run.code(), run.out() + run.err());
    assertTrue(run.out().contains("integrity score: 100.00%"), run.out());
    assertEquals(360, PgDatabases.count(database, "SELECT count(*) FROM kv"));

    Run check = MigrateCliTest.migrate(env, "validate", "--from", "json", "--to", "postgresql");
    assertEquals(0, check.code(), check.out() + check.err());
    assertTrue(check.out().contains("integrity score: 100.00%"), check.out());

    Storage pg = StorageFactory.create(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", PgDatabases.url(database)),
        dir));
    await(pg.start());
    for (String store : stores) {
      List<KeyValueStore.Entry> entries = await(pg.keyValue(store).list(""));
      assertEquals(120, entries.size(), store);
      assertEquals(value(store, 119), entries.get(119).value());
    }
    await(pg.close());
  }
}
