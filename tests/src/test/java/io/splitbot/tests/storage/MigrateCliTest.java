package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.worker.cli.MigrateCommand;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.desk.storage.Comment;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The migrate command between every kind of backend: json → airtable → postgresql, and failures with reasons. */
class MigrateCliTest {
  static Vertx vertx;
  static FakeAirtableApi api;
  static String database;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    api = FakeAirtableApi.start(vertx, AirtableEnv.TABLES).await().rateLimit(80, 500);
    database = PgDatabases.create("splitbot_migrate_cli");
  }

  @AfterAll
  static void stop() throws Exception {
    api.close();
    vertx.close().await();
    PgDatabases.drop(database);
  }

  record Run(int code, String out, String err) {
  }

  static Run migrate(Map<String, String> env, String... args) {
    CommandLine cli = MigrateCommand.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private Map<String, String> env(Path dataDir) {
    Map<String, String> env = new HashMap<>(AirtableEnv.env(api));
    env.remove("STORAGE_BACKEND");
    env.put("AIRTABLE_RATE_LIMIT", "60");
    env.put("DATA_DIR", dataDir.toString());
    env.put("DATABASE_URL", PgDatabases.url(database));
    return env;
  }

  @Test
  void jsonToAirtableToPostgresqlKeepsEveryField(@TempDir Path dir) throws Exception {
    JsonStorage json = new JsonStorage(vertx, dir.resolve("storage"), false);
    await(json.start());
    for (int i = 1; i <= 60; i++) {
      String number = String.format("250927-%03d", i);
      await(new DeskStorage(json).requests().create(ServiceRequest.builder().number(number).requesterId(i % 4).title("Заявка " + i)
          .description(i % 2 == 0 ? null : "O'Brien \\ test").category("heating").priority("urgent")
          .estimatedCost(new BigDecimal("1234.5")).isEmergency(i % 3 == 0).build()));
      if (i % 5 == 0) {
        await(new DeskStorage(json).requests().changeStatus(number, "new", "in_progress", 9));
        await(new DeskStorage(json).requests().assign(number, UserRef.telegram(77), 9));
        await(new DeskStorage(json).comments().add(Comment.create(number, 9, "на месте")));
      }
    }
    await(json.users().upsert(UserProfile.fromWebhook("telegram", 9, "Админ", null, "admin", "ru")));
    await(json.keyValue("scores").put("1:2", new JsonObject().put("a", List.of(1, 2))));
    await(new DeskStorage(json).counters().raiseTo("250927", 60));
    await(json.close());

    Run toAirtable = migrate(env(dir), "--from", "json", "--to", "airtable", "--validate", "--progress", "plain");
    assertEquals(0, toAirtable.code(), toAirtable.out() + toAirtable.err());
    assertTrue(toAirtable.out().contains("integrity score: 100.00%"), toAirtable.out());
    assertEquals(60, api.count("Requests"));
    assertEquals(1, api.count("KeyValue"));
    assertTrue(api.maxRecordsPerWrite() <= 10);
    assertTrue(api.rejectedStatuses().isEmpty(), () -> "" + api.rejectedStatuses());

    Run toPg = migrate(env(dir), "--from", "airtable", "--to", "postgresql", "--validate", "--batch-size", "20",
        "--progress", "plain");
    assertEquals(0, toPg.code(), toPg.out() + toPg.err());
    assertTrue(toPg.out().contains("integrity score: 100.00%"), toPg.out());
    assertEquals(60, PgDatabases.count(database, "SELECT count(*) FROM requests"));
    assertEquals(72, PgDatabases.count(database, "SELECT count(*) FROM status_history"));
    assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM kv WHERE store = 'scores' AND key = '1:2'"
        + " AND value = '{\"a\":[1,2]}'::jsonb"));

    // and the end of the chain equals its start
    Run check = migrate(env(dir), "validate", "--from", "json", "--to", "postgresql");
    assertEquals(0, check.code(), check.out() + check.err());
  }

  @Test
  void recordsTheTargetRefusesAreReportedWithTheirReasonAndTheExitCodeIsOne(@TempDir Path dir) throws Exception {
    PgDatabases.truncate(PgDatabases.HOST, PgDatabases.PORT, database);
    JsonStorage json = new JsonStorage(vertx, dir.resolve("storage"), false);
    await(json.start());
    await(new DeskStorage(json).requests().create(ServiceRequest.builder().number("250927-001").requesterId(1).title("ok").build()));
    // a comment whose request is not in the store (edited by hand): PostgreSQL's foreign key refuses it
    await(json.records(DeskKinds.COMMENTS).putAll(List.of(new Comment("c-orphan", "250101-404", 1, "lost", null),
        new Comment("c-fine", "250927-001", 1, "fine", null)), true));
    await(json.close());

    Path report = dir.resolve("report.json");
    Run r = migrate(env(dir), "--from", "json", "--to", "postgresql", "--progress", "none", "--report", report.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("failures (1):"), r.out());
    assertTrue(r.out().contains("comments c-orphan: "), r.out());
    assertTrue(r.out().contains("foreign key"), r.out());
    assertTrue(r.out().contains("result: FAILED"), r.out());
    JsonObject j = new JsonObject(Files.readString(report));
    assertEquals(1, j.getLong("failure_count"));
    assertEquals("c-orphan", j.getJsonArray("failures").getJsonObject(0).getString("key"));
    assertEquals(1, j.getJsonObject("kinds").getJsonObject("comments").getLong("created"));
    assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM comments"), "the good records went through");
  }
}
