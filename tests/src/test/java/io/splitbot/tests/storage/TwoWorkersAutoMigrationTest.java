package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two workers (two JVMs) with AUTO_MIGRATE=true on one shared pair, PostgreSQL primary and (fake) Airtable
 * secondary, started together: exactly one migration runs, under the lease, and both serve meanwhile and after.
 */
class TwoWorkersAutoMigrationTest {
  static final int USERS = 60;
  static final int KV = 40;
  static final Pattern STARTED = Pattern.compile("auto migration: airtable -> postgresql started by worker (\\w+)");

  private static JsonObject migration(int port) {
    try {
      return Http.get(port, "/health/services").json().getJsonObject("services").getJsonObject("migration", new JsonObject());
    } catch (Exception e) {
      return new JsonObject();
    }
  }

  @Test
  void twoWorkersStartingTogetherMigrateOnceAndBothServe() throws Exception {
    Vertx vertx = Vertx.vertx();
    String database = PgDatabases.create("twomig");
    Path dir = TestEnv.tempDir("two-auto-migration-");
    try {
      FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
      fake.start().await();
      // Airtable's request limit is not what this test is about: the fake and the client allow plenty
      FakeAirtableApi airtable = FakeAirtableApi.start(vertx, AirtableEnv.TABLES).await().rateLimit(1000, 600);
      Map<String, String> shared = new HashMap<>(AirtableEnv.env(airtable));
      shared.put("AIRTABLE_RATE_LIMIT", "200");
      shared.put("DATABASE_URL", PgDatabases.url(database));

      Storage secondary = StorageFactory.plain(vertx, StorageConfig.fromEnv(shared, dir), "airtable", false);
      await(secondary.start());
      List<UserProfile> users = new ArrayList<>();
      for (int u = 0; u < USERS; u++) {
        users.add(UserProfile.fromWebhook("telegram", 7000 + u, "Air", "User" + u, "air" + u, "en"));
      }
      await(secondary.records(Kinds.USERS).putAll(users, true));
      for (int k = 0; k < KV; k++) {
        await(secondary.keyValue("airkv").put("k" + k, new JsonObject().put("n", k)));
      }
      await(secondary.close());

      shared.put("STORAGE_BACKEND", "dual");
      shared.put("DUAL_PRIMARY", "postgresql");
      shared.put("DUAL_SECONDARY", "airtable");
      shared.put("AUTO_MIGRATE", "true");
      shared.put("MIGRATION_BATCH_SIZE", "10");
      List<Map<String, String>> envs = new ArrayList<>();
      for (String name : List.of("a", "b")) {
        Map<String, String> env = new HashMap<>(TestEnv.webhookEnv(fake.baseUrl(), dir.resolve(name)));
        env.putAll(shared);
        envs.add(env);
      }
      try (JvmProcess a = JvmProcess.start("worker-a", JvmProcess.workerJar(), envs.get(0), dir);
          JvmProcess b = JvmProcess.start("worker-b", JvmProcess.workerJar(), envs.get(1), dir)) {
        List<JvmProcess> workers = List.of(a, b);
        for (int i = 0; i < 2; i++) {
          workers.get(i).awaitHttp("http://127.0.0.1:" + envs.get(i).get("PORT") + "/health/ready", 200,
              Duration.ofSeconds(90));
        }
        // both serve (whatever the migration's state): each answers an update of its own chat
        for (int i = 0; i < 2; i++) {
          WebhookDeliverer.telegram(Integer.parseInt(envs.get(i).get("PORT")), TestEnv.WEBHOOK_SECRET)
              .deliver(Updates.message(100 + i, 7000 + i, "/start"), System.nanoTime() + Duration.ofSeconds(30).toNanos());
        }
        fake.awaitCalls("sendMessage", 2, Duration.ofSeconds(30));
        Set<String> chats = new TreeSet<>();
        fake.calls("sendMessage").forEach(c -> chats.add(String.valueOf(c.params().getValue("chat_id"))));
        assertEquals(Set.of("7000", "7001"), chats);

        // both end with the migration done at 100% and read from PostgreSQL
        for (int i = 0; i < 2; i++) {
          int port = Integer.parseInt(envs.get(i).get("PORT"));
          JvmProcess w = workers.get(i);
          Poll.until(() -> "done".equals(migration(port).getString("state"))
                  && "primary".equals(migration(port).getString("reads")), Duration.ofSeconds(120),
              () -> "not done: " + migration(port) + "\n" + w.output());
          assertEquals(100.0, migration(port).getDouble("integrity"), migration(port).encode());
        }

        // exactly one migration ran: one worker logged its start, the other found the marker (or waited for it)
        Set<String> runners = new TreeSet<>();
        int runs = 0;
        for (JvmProcess w : workers) {
          Matcher m = STARTED.matcher(w.output());
          while (m.find()) {
            runners.add(m.group(1));
            runs++;
          }
        }
        assertEquals(1, runners.size(), a.output() + "\n----\n" + b.output());
        String runner = runners.iterator().next();
        JvmProcess loser = STARTED.matcher(a.output()).find() ? b : a;
        String loserLog = loser.output();
        assertTrue(loserLog.contains("auto migration: worker " + runner + " holds the lease")
            || loserLog.contains("was already completed by " + runner), loserLog);
        assertTrue(!loserLog.contains("auto migration: copy "), "the other worker copied nothing:\n" + loserLog);
        assertTrue(runs >= 1, "the migration ran");
        assertEquals(1, PgDatabases.count(database,
            "SELECT count(*) FROM kv WHERE store = 'splitbot.migration' AND key = 'done' AND value->>'by' = '" + runner + "'"),
            "the marker names the one worker that migrated");
        assertEquals(USERS, PgDatabases.count(database, "SELECT count(*) FROM users WHERE platform = 'telegram' AND user_id BETWEEN 7000 AND 7059"));
        assertEquals(KV, PgDatabases.count(database, "SELECT count(*) FROM kv WHERE store = 'airkv'"));
      }
    } finally {
      vertx.close().await();
      PgDatabases.drop(database);
    }
  }
}
