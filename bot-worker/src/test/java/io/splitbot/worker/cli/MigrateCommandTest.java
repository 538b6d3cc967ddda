package io.splitbot.worker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.desk.storage.Comment;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code migrate} run in-process between two JSON stores: exit codes, reports, idempotence, validate and repair. */
class MigrateCommandTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  record Run(int code, String out, String err) {
  }

  static Run run(Map<String, String> env, String... args) {
    CommandLine cli = MigrateCommand.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static void seed(Path dataDir, int n) {
    JsonStorage s = new JsonStorage(vertx, dataDir.resolve("storage"), false);
    s.start().await();
    for (int i = 1; i <= n; i++) {
      String number = String.format("250927-%03d", i);
      new DeskStorage(s).requests().create(ServiceRequest.builder().number(number).requesterId(i).title("t" + i).build()).await();
      new DeskStorage(s).comments().add(Comment.create(number, i, "c" + i)).await();
      s.users().upsert(UserProfile.fromWebhook("telegram", i, "U", null, null, "ru")).await();
    }
    s.close().await();
  }

  @Test
  void copiesValidatesAndCopiesNothingTwice(@TempDir Path from, @TempDir Path to) throws Exception {
    seed(from, 30);
    Map<String, String> env = Map.of("DATA_DIR", from.toString());
    Path report = to.resolve("report.json");
    Run first = run(env, "--from", "json", "--to", "json", "--to-data-dir", to.toString(), "--batch-size", "7",
        "--validate", "--progress", "plain", "--report", report.toString());
    assertEquals(0, first.code(), first.out() + first.err());
    assertTrue(first.out().contains("copy requests: 30 record(s)"), first.out());
    assertTrue(first.out().contains("integrity score: 100.00% (120 of 120 records equal)"), first.out());
    assertTrue(first.out().contains("result: OK"));
    JsonObject r = new JsonObject(Files.readString(report));
    assertEquals(120, r.getLong("copied"));
    assertEquals(100.0, r.getDouble("integrity"));

    Run second = run(env, "--from", "json", "--to", "json", "--to-data-dir", to.toString(), "--progress", "none",
        "--report", report.toString());
    assertEquals(0, second.code(), second.err());
    assertEquals(0, new JsonObject(Files.readString(report)).getLong("copied"), "a re-run copies nothing");
    assertFalse(Files.exists(from.resolve("migrate").resolve("checkpoint-json-to-json.json")));
  }

  @Test
  void validateShowsFieldDiffsAndRepairFixesThem(@TempDir Path from, @TempDir Path to) {
    seed(from, 5);
    Map<String, String> env = Map.of("DATA_DIR", from.toString());
    assertEquals(0, run(env, "--from", "json", "--to", "json", "--to-data-dir", to.toString(), "--progress", "none").code());
    JsonStorage target = new JsonStorage(vertx, to.resolve("storage"), false);
    target.start().await();
    new DeskStorage(target).requests().changeStatus("250927-002", "new", "done", 1).await();
    new DeskStorage(target).requests().create(ServiceRequest.builder().number("250927-099").requesterId(1).title("only here").build()).await();
    target.close().await();

    Run diff = run(env, "validate", "--from", "json", "--to", "json", "--to-data-dir", to.toString(), "--kinds", "requests",
        "--progress", "none");
    assertEquals(1, diff.code(), diff.out() + diff.err());
    assertTrue(diff.out().contains("requests 250927-002: different"), diff.out());
    assertTrue(diff.out().contains("status: source=new target=done"), diff.out());
    assertTrue(diff.out().contains("requests 250927-099: missing_in_source"), diff.out());
    assertTrue(diff.out().contains("integrity score: 66.66% (4 of 6 records equal)"), diff.out());

    Run one = run(env, "validate", "--from", "json", "--to", "json", "--to-data-dir", to.toString(), "--key", "requests:250927-001");
    assertEquals(0, one.code(), one.out());
    assertTrue(one.out().contains("requests 250927-001: equal"), one.out());

    Run repair = run(env, "repair", "--from", "json", "--to", "json", "--to-data-dir", to.toString(),
        "--kinds", "requests,status_history", "--delete-extra", "--progress", "none");
    assertEquals(0, repair.code(), repair.out() + repair.err());
    assertTrue(repair.out().contains("integrity score: 100.00%"), repair.out());
    assertEquals(0, run(env, "validate", "--from", "json", "--to", "json", "--to-data-dir", to.toString(),
        "--progress", "none").code());
  }

  @Test
  void usageAndConfigurationErrorsExitWithTwoAndOneLine(@TempDir Path dir) {
    Map<String, String> env = Map.of("DATA_DIR", dir.toString());
    Run none = run(env);
    assertEquals(2, none.code());
    assertTrue(none.err().contains("--from and --to are required"), none.err());
    Run pg = run(env, "--from", "json", "--to", "postgresql");
    assertEquals(2, pg.code());
    assertTrue(pg.err().contains("DATABASE_URL is required for the postgresql backend (--to=postgresql)"), pg.err());
    Run same = run(env, "--from", "json", "--to", "json");
    assertEquals(2, same.code());
    assertTrue(same.err().contains("same store"), same.err());
    Run bad = run(env, "--from", "json", "--to", "mongo");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--to must be json, postgresql, airtable or remote"), bad.err());
    assertEquals(2, run(env, "--from", "json", "--to", "json", "--to-data-dir", "/tmp/x", "--batch-size", "0").code());
    Run secret = run(Map.of("DATABASE_URL", "postgresql://u:hunter2@/db"), "--from", "json", "--to", "postgresql");
    assertEquals(2, secret.code());
    assertFalse(secret.err().contains("hunter2"), secret.err());
  }

  @Test
  void aDamagedSourceStopsWithItsFileAndPosition(@TempDir Path from, @TempDir Path to) throws Exception {
    seed(from, 2);
    Path file = from.resolve("storage").resolve("users.json");
    Files.writeString(file, Files.readString(file).replace("\"user_id\":2", "\"user_id\":\"two\""));
    Run r = run(Map.of("DATA_DIR", from.toString()), "--from", "json", "--to", "json", "--to-data-dir", to.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains("cannot open the source (json): JSON store file " + file + " is damaged at line 4"), r.err());
    assertTrue(r.err().contains("user_id must be a whole number"), r.err());
  }
}
