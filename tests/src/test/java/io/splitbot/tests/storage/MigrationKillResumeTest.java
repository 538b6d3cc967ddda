package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.desk.storage.Comment;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * json → postgresql with 10,000 requests through {@code java -jar bot-worker.jar migrate}, killed with SIGKILL
 * halfway, resumed: integrity 100%, every record written exactly once (counted by a trigger), a re-run copies
 * nothing, and a dry run changes nothing.
 */
class MigrationKillResumeTest {
  static final int REQUESTS = 10_000;
  static final Pattern PROGRESS = Pattern.compile("copy requests: (\\d+)/(\\d+)");
  static Vertx vertx;
  static String database;
  static Path dataDir;
  static Path logs;

  @BeforeAll
  static void seed() throws Exception {
    vertx = Vertx.vertx();
    database = PgDatabases.create("splitbot_migrate");
    dataDir = Files.createTempDirectory("splitbot-migrate-");
    logs = dataDir.resolve("logs");

    JsonStorage json = new JsonStorage(vertx, dataDir.resolve("storage"), false);
    await(json.start());
    Instant t0 = Instant.parse("2025-09-01T06:00:00Z");
    List<ServiceRequest> requests = new ArrayList<>();
    List<StatusChange> history = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String number = String.format("2509%02d-%03d", 1 + i / 1000, 1 + i % 1000);
      Instant at = t0.plusSeconds(37L * i);
      requests.add(ServiceRequest.builder().number(number).requesterId(100 + i % 50).title("Заявка " + i)
          .description("Течёт кран, O'Brien \\ test #" + i).address("ул. Примерная, д. " + i).apartment("" + i % 90)
          .category(ServiceRequest.CATEGORIES.get(i % 5)).priority(ServiceRequest.PRIORITIES.get(i % 3))
          .phone("+99890" + (1000000 + i)).contactName("Иван " + i).isEmergency(i % 7 == 0)
          .estimatedCost(i % 4 == 0 ? null : new BigDecimal(i + ".50")).createdAt(at).updatedAt(at).build());
      history.add(new StatusChange("h-" + i, number, null, "new", 100 + i % 50, at));
    }
    for (int i = 0; i < REQUESTS; i += 2000) {
      await(json.records(DeskKinds.REQUESTS).putAll(requests.subList(i, i + 2000), true));
      await(json.records(DeskKinds.STATUS_HISTORY).putAll(history.subList(i, i + 2000), true));
    }
    List<UserProfile> users = new ArrayList<>();
    for (int u = 0; u < 50; u++) {
      users.add(UserProfile.fromWebhook("telegram", 100 + u, "User", "" + u, "user" + u, u % 2 == 0 ? "ru" : "en"));
    }
    await(json.records(Kinds.USERS).putAll(users, true));
    List<Comment> comments = new ArrayList<>();
    for (int c = 0; c < 300; c++) {
      comments.add(Comment.create(requests.get(c * 30).number(), 100, "comment " + c));
    }
    await(json.records(DeskKinds.COMMENTS).putAll(comments, true));
    await(json.keyValue("scores").put("5:5", new JsonObject().put("title", "x")));
    await(new DeskStorage(json).counters().raiseTo("250910", 1000));
    await(json.close());

    // The schema exists before the first run, so a trigger can count every row written to requests.
    Storage pg = StorageFactory.create(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", PgDatabases.url(database)), dataDir));
    await(pg.start());
    await(pg.close());
    try (Connection c = PgDatabases.connect(database); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE write_audit (n bigint NOT NULL)");
      s.execute("CREATE FUNCTION count_write() RETURNS trigger AS $$ BEGIN INSERT INTO write_audit VALUES (1); "
          + "RETURN NEW; END $$ LANGUAGE plpgsql");
      s.execute("CREATE TRIGGER requests_written AFTER INSERT OR UPDATE ON requests FOR EACH ROW EXECUTE FUNCTION count_write()");
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    vertx.close().await();
    PgDatabases.drop(database);
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Map<String, String> env() {
    return Map.of("DATA_DIR", dataDir.toString(), "DATABASE_URL", PgDatabases.url(database));
  }

  private static JvmProcess migrate(String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("migrate", "--from", "json", "--to", "postgresql", "--progress", "plain"));
    all.addAll(List.of(args));
    return JvmProcess.start(name, JvmProcess.workerJar(), env(), logs, all.toArray(new String[0]));
  }

  private static String digest(Path dir) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        md.update(p.getFileName().toString().getBytes());
        md.update(Files.readAllBytes(p));
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String tableDigest() throws Exception {
    return PgDatabases.count(database, "SELECT count(*) FROM requests") + "/"
        + PgDatabases.count(database, "SELECT count(*) FROM write_audit") + "/"
        + PgDatabases.count(database, "SELECT sum(hashtext(r::text)) FROM requests r") + "/"
        + PgDatabases.count(database, "SELECT count(*) FROM comments") + "/"
        + PgDatabases.count(database, "SELECT count(*) FROM status_history");
  }

  @Test
  void killedHalfwayResumesToFullIntegrityWithNoDuplicateThenADryRunChangesNothing() throws Exception {
    // 1. start, and SIGKILL it once the progress lines pass the middle of the requests
    JvmProcess first = migrate("migrate-1", "--batch-size", "25");
    long deadline = System.currentTimeMillis() + 120_000;
    int seen = 0;
    while (seen < REQUESTS / 2) {
      if (!first.alive()) {
        throw new AssertionError("migrate ended before it could be killed:\n" + first.output());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no progress:\n" + first.output());
      }
      Matcher m = PROGRESS.matcher(first.output());
      while (m.find()) {
        seen = Math.max(seen, Integer.parseInt(m.group(1)));
      }
      Thread.sleep(5);
    }
    first.kill();
    System.out.println("killed at " + seen + "/" + REQUESTS + " requests, " + java.time.LocalTime.now());
    long atKill = PgDatabases.count(database, "SELECT count(*) FROM requests");
    assertTrue(atKill >= REQUESTS / 2 - 25 && atKill < REQUESTS, "killed halfway, " + atKill + " requests copied");
    Path checkpoint = dataDir.resolve("migrate").resolve("checkpoint-json-to-postgresql.json");
    assertTrue(Files.exists(checkpoint), "a checkpoint was left behind");
    assertEquals("requests", new JsonObject(Files.readString(checkpoint)).getString("kind"));

    // 2. the same command again resumes from the checkpoint; --validate proves both sides equal
    Path report = dataDir.resolve("report-2.json");
    JvmProcess second = migrate("migrate-2", "--batch-size", "200", "--validate", "--report", report.toString());
    assertEquals(0, second.waitForExit(Duration.ofSeconds(120)), second.output());
    System.out.println(second.output());
    JsonObject r = new JsonObject(Files.readString(report));
    assertNotNull(r.getString("resumed_from"), r.encodePrettily());
    assertTrue(r.getString("resumed_from").startsWith("requests after "), r.encodePrettily());
    assertEquals(100.0, r.getDouble("integrity"), r.encodePrettily());
    JsonObject req = r.getJsonObject("kinds").getJsonObject("requests");
    assertEquals(REQUESTS, req.getLong("source"));
    assertEquals(REQUESTS, req.getLong("created") + req.getLong("unchanged"), req.encode());
    assertEquals(0, req.getLong("failed"));
    assertEquals(0, r.getLong("failure_count"));
    assertTrue(second.output().contains("integrity score: 100.00%"), second.output());
    assertTrue(second.output().contains("resuming at"), second.output());
    assertTrue(!Files.exists(checkpoint), "the checkpoint is gone once the run completes");

    assertEquals(REQUESTS, PgDatabases.count(database, "SELECT count(*) FROM requests"));
    assertEquals(REQUESTS, PgDatabases.count(database, "SELECT count(DISTINCT number) FROM requests"));
    assertEquals(REQUESTS, PgDatabases.count(database, "SELECT count(*) FROM write_audit"),
        "every request was written exactly once over both runs");
    assertEquals(REQUESTS, PgDatabases.count(database, "SELECT count(*) FROM status_history"));
    assertEquals(300, PgDatabases.count(database, "SELECT count(*) FROM comments"));
    assertEquals(1000, PgDatabases.count(database, "SELECT value FROM counters WHERE day = '250910'"));
    assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM kv WHERE store = 'scores' AND key = '5:5'"));

    // 3. a re-run copies nothing
    Path report3 = dataDir.resolve("report-3.json");
    JvmProcess third = migrate("migrate-3", "--batch-size", "500", "--report", report3.toString());
    assertEquals(0, third.waitForExit(Duration.ofSeconds(120)), third.output());
    assertEquals(0, new JsonObject(Files.readString(report3)).getLong("copied"));
    assertEquals(REQUESTS, PgDatabases.count(database, "SELECT count(*) FROM write_audit"));

    // 4. a dry run changes nothing, on either side, even when it has something to report
    JsonStorage json = new JsonStorage(vertx, dataDir.resolve("storage"), false);
    await(json.start());
    await(new DeskStorage(json).requests().create(ServiceRequest.builder().number("250930-001").requesterId(1).title("new one").build()));
    await(new DeskStorage(json).requests().changeStatus("250901-001", "new", "done", 1));
    await(json.close());
    String jsonBefore = digest(dataDir.resolve("storage"));
    String pgBefore = tableDigest();
    Path report4 = dataDir.resolve("report-4.json");
    JvmProcess dry = migrate("migrate-dry", "--dry-run", "--batch-size", "500", "--report", report4.toString());
    assertEquals(0, dry.waitForExit(Duration.ofSeconds(120)), dry.output());
    System.out.println(third.output());
    System.out.println(dry.output());
    JsonObject d = new JsonObject(Files.readString(report4));
    assertTrue(d.getBoolean("dry_run"));
    assertEquals(1, d.getJsonObject("kinds").getJsonObject("requests").getLong("created"), d.encodePrettily());
    assertEquals(1, d.getJsonObject("kinds").getJsonObject("requests").getLong("updated"), d.encodePrettily());
    assertTrue(dry.output().contains("dry run: nothing written"), dry.output());
    assertEquals(pgBefore, tableDigest(), "PostgreSQL unchanged by the dry run");
    assertEquals(jsonBefore, digest(dataDir.resolve("storage")), "JSON store unchanged by the dry run");
    assertTrue(!Files.exists(checkpoint), "a dry run leaves no checkpoint");
  }
}
