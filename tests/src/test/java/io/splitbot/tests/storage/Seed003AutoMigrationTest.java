package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.worker.storage.migration.MigrationLease;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.splitbot.tests.support.SeedEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's own {@code .env} (tests/resources/seeds/003.env: STORAGE_BACKEND=dual, MIGRATION_MODE=auto,
 * AUTO_MIGRATE=true, MIGRATION_BATCH_SIZE=50) starts the worker jar on 1,000 records in the JSON files and a fresh
 * PostgreSQL database. A worker that crashed holds the migration's lease at first, so the migration is owed for a
 * while: the worker serves meanwhile, reading the JSON files; once the lease lapses (the test moves its expiry into
 * the past, as time would) it takes the lease over, migrates, validates at 100%, and reads from PostgreSQL from then
 * on.
 */
class Seed003AutoMigrationTest {
  static final int USERS = 400;
  static final int REQUESTS = 500;
  static final int KV = 100;
  /** The crashed worker's lease: longer than any start-up, until the test lets it lapse. */
  static final long CRASHED_LEASE_MS = 600_000;

  private Vertx vertx;
  private FakeTelegramApi fake;
  private String database;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    database = PgDatabases.create("seed003");
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await();
    PgDatabases.drop(database);
  }

  static String number(int i) {
    return String.format("2510%02d-%03d", 1 + i / 100, 1 + i % 100);
  }

  static ServiceRequest request(String number, String title) {
    return ServiceRequest.builder().number(number).requesterId(9000).title(title).address("ул. Садовая, д. 5").build();
  }

  /** 400 users, 500 requests and 100 key-value entries in the JSON files, written by the JSON store's own code. */
  private void seedJson(Path dataDir) {
    JsonStorage json = new JsonStorage(vertx, dataDir.resolve("storage"), false);
    await(json.start());
    List<UserProfile> users = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      users.add(UserProfile.fromWebhook("telegram", 9000 + u, "Old", "User" + u, "old" + u, "ru"));
    }
    await(json.records(Kinds.USERS).putAll(users, true));
    List<ServiceRequest> requests = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      requests.add(request(number(i), "JSON request " + i));
    }
    await(json.records(DeskKinds.REQUESTS).putAll(requests, true));
    for (int k = 0; k < KV; k++) {
      await(json.keyValue("seedkv").put("k" + k, new JsonObject().put("n", k)));
    }
    await(json.close());
  }

  private static JsonObject migration(int port) throws Exception {
    Http.Answer a = Http.get(port, "/health/services");
    return a.json().getJsonObject("services").getJsonObject("migration", new JsonObject());
  }

  @Test
  void seed003sEnvMigrates1000JsonRecordsAtStartWhileTheWorkerServesThenReadsPostgresql() throws Exception {
    Path dir = TestEnv.tempDir("seed003-");
    Path dataDir = dir.resolve("data");
    seedJson(dataDir);
    String url = PgDatabases.url(database);

    // the schema, and the lease of a worker that crashed while it held it
    Storage pg = StorageFactory.create(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", url), dataDir));
    await(pg.start());
    assertTrue(await(new MigrationLease(pg, "crashed-worker", CRASHED_LEASE_MS, System::currentTimeMillis).acquire()).held());

    Map<String, String> env = SeedEnv.load("seeds/003.env");
    assertEquals("auto", env.get("MIGRATION_MODE"));
    env.put("DATABASE_URL", url);
    env.putAll(TestEnv.webhookEnv(fake.baseUrl(), dataDir));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    int port = Integer.parseInt(env.get("PORT"));
    ApiClient api = new ApiClient(Integer.parseInt(env.get("WORKER_PORT")));
    try (JvmProcess worker = JvmProcess.start("seed003-worker", JvmProcess.workerJar(), env, dir)) {
      worker.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(90));

      // the migration is owed: the worker serves, and reads what only the JSON files hold
      JsonObject waiting = migration(port);
      assertEquals("waiting-for-lease", waiting.getString("state"), waiting.encode() + "\n" + worker.output());
      assertEquals("crashed-worker", waiting.getString("holder"));
      assertEquals("secondary", waiting.getString("reads"));
      assertEquals("json", waiting.getString("from"));
      assertEquals("postgresql", waiting.getString("to"));
      ApiClient.Answer old = api.get("/api/v1/bot/requests/" + number(123));
      assertEquals(200, old.status(), old.toString());
      assertTrue(old.body().contains("JSON request 123"), old.body());
      assertEquals(0, PgDatabases.count(database, "SELECT count(*) FROM requests"), "read from the JSON files");
      WebhookDeliverer telegram = WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET);
      telegram.deliver(Updates.message(1, 9001, "/start"), System.nanoTime() + Duration.ofSeconds(30).toNanos());
      fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(30));
      assertEquals("9001", String.valueOf(fake.calls("sendMessage").get(0).params().getValue("chat_id")));

      // the crashed worker's lease lapses (its expiry, by its own clock, is now past): this worker takes it over,
      // migrates and validates
      long aMinuteAgo = System.currentTimeMillis() - 60_000;
      assertTrue(await(new MigrationLease(pg, "crashed-worker", 1, () -> aMinuteAgo).acquire()).held());
      Poll.until(() -> {
        try {
          return "done".equals(migration(port).getString("state"));
        } catch (Exception e) {
          return false;
        }
      }, Duration.ofSeconds(90), () -> "not migrated:\n" + worker.output());
      JsonObject done = migration(port);
      assertEquals(100.0, done.getDouble("integrity"), done.encode());
      assertEquals(0L, done.getLong("differences"), done.encode());
      assertTrue(done.getLong("total") >= USERS + REQUESTS + KV, done.encode());
      assertEquals(done.getLong("total"), done.getLong("copied"), done.encode());
      assertEquals("primary", done.getString("reads"));
      assertEquals("UP", done.getString("status"));
      assertTrue(!"crashed-worker".equals(done.getString("holder")), done.encode());
      JsonObject monitoring = Http.get(Integer.parseInt(env.get("WORKER_PORT")), "/monitoring/migration").json();
      assertEquals("done", monitoring.getString("state"), monitoring.encode());
      assertEquals(done.getLong("copied"), monitoring.getLong("copied"));
      assertEquals(100.0, monitoring.getDouble("integrity"));

      assertEquals(USERS, PgDatabases.count(database, "SELECT count(*) FROM users"));
      assertEquals(REQUESTS, PgDatabases.count(database, "SELECT count(*) FROM requests"));
      assertEquals(KV, PgDatabases.count(database, "SELECT count(*) FROM kv WHERE store = 'seedkv'"));
      assertEquals(1, PgDatabases.count(database,
          "SELECT count(*) FROM kv WHERE store = 'splitbot.migration' AND key = 'done'"), "the marker");
      String log = worker.output();
      assertTrue(log.contains("auto migration: worker crashed-worker holds the lease"), log);
      assertTrue(log.contains("auto migration: json -> postgresql started by worker"), log);
      assertTrue(log.contains("auto migration: copy requests: 500/500"), log);
      assertTrue(log.contains("integrity 100.00%"), log);
      assertTrue(log.contains("reads now come from the primary postgresql"), log);

      // after the switch, reads come from PostgreSQL: a request only PostgreSQL holds is found
      await(pg.records(DeskKinds.REQUESTS).put(request("251201-001", "PostgreSQL only")));
      ApiClient.Answer fresh = api.get("/api/v1/bot/requests/251201-001");
      assertEquals(200, fresh.status(), fresh.toString());
      assertTrue(fresh.body().contains("PostgreSQL only"), fresh.body());
    } finally {
      await(pg.close());
    }
  }
}
