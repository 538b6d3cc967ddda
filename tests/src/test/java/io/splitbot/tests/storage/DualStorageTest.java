package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.storage.Page;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.consistency.Progress;
import io.splitbot.worker.storage.consistency.RecordDiff;
import io.splitbot.worker.storage.consistency.ValidationReport;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.desk.storage.Comment;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.desk.storage.StatusChange;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dual mode against a real outage of one side (a private PostgreSQL cluster that is stopped and started): nothing a
 * user does fails, nothing is dropped, and once the side is back the repair queue drains to an equal state.
 */
class DualStorageTest {
  static Vertx vertx;
  static ThrowawayPostgres pg;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    pg = ThrowawayPostgres.create();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    pg.close();
  }

  private static Map<String, String> env(String primary, String secondary, String mode, String database) {
    Map<String, String> env = new HashMap<>();
    env.put("STORAGE_BACKEND", "dual");
    env.put("DUAL_PRIMARY", primary);
    env.put("DUAL_SECONDARY", secondary);
    env.put("MIGRATION_MODE", mode);
    env.put("SERVICE_FALLBACK_ENABLED", "true");
    env.put("DUAL_REPAIR_INTERVAL", "200ms");
    env.put("DATABASE_URL", pg.url(database));
    env.put("DATABASE_POOL_SIZE", "3");
    return env;
  }

  private static DualStorage open(Map<String, String> env, Path dataDir) {
    DualStorage dual = (DualStorage) StorageFactory.create(vertx, StorageConfig.fromEnv(env, dataDir));
    await(dual.start());
    return dual;
  }

  private static String newDatabase() throws Exception {
    String name = "dual_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    pg.createDatabase(name);
    return name;
  }

  private static ServiceRequest request(String number, String title) {
    return ServiceRequest.builder().number(number).requesterId(7).title(title).address("ул. Примерная, д. 1").build();
  }

  /** Every kind of write the desk bot makes. */
  private static void writeEverything(DualStorage dual, String day, int n) {
    for (int i = 1; i <= n; i++) {
      String number = String.format("%s-%03d", day, i);
      await(new DeskStorage(dual).requests().create(request(number, "Заявка " + i)));
      await(new DeskStorage(dual).comments().add(Comment.create(number, 7, "comment " + i)));
      if (i % 2 == 0) {
        await(new DeskStorage(dual).requests().changeStatus(number, "new", "in_progress", 99));
        await(new DeskStorage(dual).requests().assign(number, UserRef.telegram(500 + i), 1));
      }
      if (i % 3 == 0) {
        await(new DeskStorage(dual).requests().update(request(number, "edited " + i)));
      }
      await(dual.users().upsert(UserProfile.fromWebhook("telegram", 1000 + i, "User", "" + i, "u" + i, "ru")));
      await(dual.keyValue("desk-reservations").put("chat-" + i, new JsonObject().put("i", i)));
      await(new DeskStorage(dual).counters().nextCounter(day));
    }
    await(dual.keyValue("desk-reservations").delete("chat-1"));
  }

  private static void awaitDrained(DualStorage dual) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (dual.queue().size() > 0) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the repair queue did not drain: " + dual.stats().encodePrettily());
      }
      Thread.sleep(100);
    }
  }

  private static void assertEqualSides(DualStorage dual) {
    ValidationReport report = await(dual.checker().validate(null, 100, 20, Progress.NONE));
    assertTrue(report.consistent(), () -> report.render());
    assertEquals(100.0, report.integrity());
  }

  @Test
  void theSecondaryDownDuringWritesIsRepairedToAnEqualState() throws Exception {
    String db = newDatabase();
    Path dir = Files.createTempDirectory("splitbot-dual-");
    DualStorage dual = open(env("json", "postgresql", "dual", db), dir);
    writeEverything(dual, "250926", 3);
    assertEquals(0, dual.queue().size());

    pg.stop();
    writeEverything(dual, "250927", 12); // every call succeeds: the primary has it, the secondary is owed it
    JsonObject stats = dual.stats();
    assertTrue(stats.getLong("secondaryWriteFailures") > 0, stats::encodePrettily);
    assertTrue(dual.queue().size() > 0, stats::encodePrettily);
    assertEquals(12 + 3, await(new DeskStorage(dual).requests().search(null, null, 0, 100)).total(), "reads come from the primary");
    assertTrue(Files.readString(dual.queue().file()).contains("\"target\":\"postgresql\""), "queued durably on disk");

    pg.start();
    awaitDrained(dual); // by the background repair, nothing called here
    assertEqualSides(dual);
    RecordDiff one = await(dual.checker().validateRecord(DeskKinds.REQUESTS, "250927-006"));
    assertTrue(one.equal(), one::toString);
    assertEquals(15, PgDatabases.connectCount(pg, db, "SELECT count(*) FROM requests"));
    await(dual.close());
  }

  @Test
  void thePrimaryDownWithFallbackFailsNoUserOperation() throws Exception {
    String db = newDatabase();
    Path dir = Files.createTempDirectory("splitbot-dual-");
    DualStorage dual = open(env("postgresql", "json", "dual", db), dir);
    writeEverything(dual, "250926", 2);

    pg.stop();
    writeEverything(dual, "250927", 6); // await() would throw on any failed operation
    await(new DeskStorage(dual).requests().changeStatus("250926-001", "new", "in_progress", 5)); // a record made before the outage
    assertEquals("in_progress", await(new DeskStorage(dual).requests().find("250926-001")).orElseThrow().status(), "read your write");
    Page<ServiceRequest> all = await(new DeskStorage(dual).requests().search("примерная", null, 0, 50));
    assertEquals(8, all.total(), "searches fall back too");
    assertEquals(1, await(new DeskStorage(dual).comments().list("250927-004")).size());
    JsonObject stats = dual.stats();
    assertTrue(stats.getLong("fallbackWrites") > 0, stats::encodePrettily);
    assertTrue(stats.getLong("fallbackReads") > 0, stats::encodePrettily);
    assertTrue(dual.queue().countByTarget().getOrDefault("postgresql", 0L) > 0, stats::encodePrettily);

    pg.start();
    // the first write to a record the primary is owed brings it up to date first
    await(new DeskStorage(dual).requests().changeStatus("250926-001", "in_progress", "done", 5));
    awaitDrained(dual);
    assertEqualSides(dual);
    assertEquals("done", await(new DeskStorage(dual).requests().find("250926-001")).orElseThrow().status());
    assertEquals(8, PgDatabases.connectCount(pg, db, "SELECT count(*) FROM requests"));
    assertEquals(3, PgDatabases.connectCount(pg, db, "SELECT count(*) FROM status_history WHERE request_number = '250926-001'"));
    await(dual.close());
  }

  @Test
  void aRequestMadeInTheFallbackIsReadWholeUntilThePrimaryIsRepaired() throws Exception {
    String db = newDatabase();
    Path dir = Files.createTempDirectory("splitbot-dual-");
    Map<String, String> env = env("postgresql", "json", "dual", db);
    env.put("DUAL_REPAIR_INTERVAL", "1h"); // the repair runs when this test calls it
    DualStorage dual = open(env, dir);
    writeEverything(dual, "250926", 1);
    DeskStorage desk = new DeskStorage(dual);

    pg.stop();
    await(desk.requests().create(request("250927-001", "Нет света")));
    await(desk.comments().add(Comment.create("250927-001", 7, "Со вчерашнего дня")));
    pg.start();

    // the primary answers again but misses the request, its comment and its history until the repair
    assertEquals("Нет света", await(desk.requests().find("250927-001")).orElseThrow().title());
    assertEquals(1, await(desk.comments().list("250927-001")).size(), "the comment, from the secondary");
    assertEquals(1, await(desk.history().statusHistory("250927-001")).size(), "the history, from the secondary");
    assertEquals(2, await(desk.requests().search(null, null, 0, 50)).total(), "a list includes it");
    assertEquals(0, PgDatabases.connectCount(pg, db, "SELECT count(*) FROM requests WHERE number = '250927-001'"));

    assertEquals(0, await(dual.drainNow()));
    long fallbackReads = dual.stats().getLong("fallbackReads");
    assertEquals(1, await(desk.comments().list("250927-001")).size());
    assertEquals(1, await(desk.history().statusHistory("250927-001")).size());
    assertEquals(2, await(desk.requests().search(null, null, 0, 50)).total());
    assertEquals(fallbackReads, dual.stats().getLong("fallbackReads"), "repaired: reads come from the primary again");
    assertEqualSides(dual);
    await(dual.close());
  }

  @Test
  void aSideDownAtStartUpIsCaughtUpLaterButADamagedOneStopsStartUp() throws Exception {
    String db = newDatabase();
    Path dir = Files.createTempDirectory("splitbot-dual-");
    pg.stop();
    DualStorage dual = open(env("json", "postgresql", "dual", db), dir); // starts: an outage is not a reason to stop
    writeEverything(dual, "250927", 3);
    pg.start();
    awaitDrained(dual);
    assertEqualSides(dual);
    await(dual.close());

    Files.writeString(dir.resolve("storage").resolve("users.json"), "{\"format\":\"splitbot-json-store/1\",\n\"users\":[{]}");
    Throwable e = StorageContractTest.failure(
        StorageFactory.create(vertx, StorageConfig.fromEnv(env("postgresql", "json", "dual", db), dir)).start());
    assertTrue(e.getMessage().contains("users.json is damaged at line 2"), e.getMessage());
  }

  @Test
  void oneRecordCanBeValidatedAndSyncedFromCode() throws Exception {
    String db = newDatabase();
    Path dir = Files.createTempDirectory("splitbot-dual-");
    DualStorage dual = open(env("json", "postgresql", "dual", db), dir);
    writeEverything(dual, "250927", 2);
    ServiceRequest r = await(new DeskStorage(dual).requests().find("250927-002")).orElseThrow();
    // someone edits the secondary behind the bot's back, and adds a stray history entry there
    await(dual.secondary().records(DeskKinds.REQUESTS).putAll(List.of(r.toBuilder().title("edited in SQL").build()), true));
    await(dual.secondary().records(DeskKinds.STATUS_HISTORY).putAll(List.of(
        StatusChange.create("250927-002", "in_progress", "done", 1, null)), true));

    List<RecordDiff> diffs = await(dual.validateRecord(DeskKinds.REQUESTS, "250927-002"));
    assertEquals(RecordDiff.Status.DIFFERENT, diffs.get(0).status());
    assertEquals("title", diffs.get(0).fields().get(0).field());
    assertEquals("edited in SQL", diffs.get(0).fields().get(0).target());
    assertEquals(RecordDiff.Status.MISSING_IN_SOURCE, diffs.get(1).status());
    assertEquals("status_history", diffs.get(1).kind());

    List<RecordDiff> after = await(dual.syncRecord(DeskKinds.REQUESTS, "250927-002", false)); // primary → secondary
    assertEquals(1, after.size());
    assertTrue(after.get(0).equal(), after::toString);
    assertEqualSides(dual);
    await(dual.close());
  }

  @Test
  void switchingModesIsARestartAndLosesNothing() throws Exception {
    String db = newDatabase();
    Path dir = Files.createTempDirectory("splitbot-dual-");
    DualStorage dual = open(env("json", "postgresql", "dual", db), dir);
    pg.stop();
    writeEverything(dual, "250927", 5);
    int owed = dual.queue().size();
    assertTrue(owed > 0);
    await(dual.close()); // stop the worker with repairs still pending

    pg.start();
    // restart in primary_only mode: the pending repairs still run
    dual = open(env("json", "postgresql", "primary_only", db), dir);
    awaitDrained(dual);
    assertEqualSides(dual);
    await(dual.close());

    // swap the roles: PostgreSQL becomes the primary, the JSON store the secondary
    dual = open(env("postgresql", "json", "dual", db), dir);
    assertEquals(5, await(new DeskStorage(dual).requests().search(null, null, 0, 50)).total());
    await(new DeskStorage(dual).requests().create(request("250928-001", "after the switch")));
    assertEqualSides(dual);
    await(dual.close());

    // and back to the JSON store alone (secondary_only), which has everything
    dual = open(env("postgresql", "json", "secondary_only", db), dir);
    assertEquals(6, await(new DeskStorage(dual).requests().search(null, null, 0, 50)).total());
    assertEquals("after the switch", await(new DeskStorage(dual).requests().find("250928-001")).orElseThrow().title());
    await(dual.close());
  }

  @Test
  void aRepairOfAKindNoModuleDeclaresIsDroppedNotRetriedForever() throws Exception {
    Path dir = Files.createTempDirectory("splitbot-dual-old-kind-");
    Path queue = dir.resolve("dual").resolve("repair-queue.jsonl");
    Files.createDirectories(queue.getParent());
    // kinds an older worker kept: processed updates, and conversations (the desk keeps those in sessions now)
    Files.writeString(queue, new JsonObject().put("op", "add").put("id", 1).put("kind", "processed_updates")
        .put("key", "555").put("target", "postgresql").put("reason", "left by an older worker")
        .put("at", "2025-09-27T08:00:00.000Z").encode() + "\n"
        + new JsonObject().put("op", "add").put("id", 2).put("kind", "conversations")
        .put("key", "-100123:42").put("target", "postgresql").put("reason", "left by an older worker")
        .put("at", "2025-09-27T08:00:01.000Z").encode() + "\n");
    assertEquals(2, io.splitbot.worker.storage.dual.RepairQueue.countPending(queue));
    DualStorage dual = open(env("json", "postgresql", "dual", newDatabase()), dir);
    assertEquals(0, await(dual.drainNow()), "dropped, not pending: " + dual.stats());
    await(dual.close());
    assertEquals(0, io.splitbot.worker.storage.dual.RepairQueue.countPending(queue), "dropped on disk too");
  }

  @Test
  void aUsersRepairQueuedBeforeUsersHadAPlatformIsCarriedOutForTheTelegramUser() throws Exception {
    Path dir = Files.createTempDirectory("splitbot-dual-old-users-");
    io.splitbot.worker.storage.json.JsonStorage json = new io.splitbot.worker.storage.json.JsonStorage(vertx,
        dir.resolve("storage"), false);
    await(json.start());
    await(json.users().upsert(UserProfile.fromWebhook("telegram", 42, "Иван", null, "ivan", "ru")));
    await(json.close());
    Path queue = dir.resolve("dual").resolve("repair-queue.jsonl");
    Files.createDirectories(queue.getParent());
    // an older worker queued the copy of user 42 into PostgreSQL under the key it had then: "42"
    Files.writeString(queue, new JsonObject().put("op", "add").put("id", 1).put("kind", "users").put("key", "42")
        .put("target", "postgresql").put("reason", "left by an older worker").put("at", "2025-09-27T08:00:00.000Z")
        .encode() + "\n");
    String db = newDatabase();
    DualStorage dual = open(env("json", "postgresql", "dual", db), dir);
    awaitDrained(dual);
    await(dual.close());
    io.splitbot.worker.storage.Storage postgres = StorageFactory.plain(vertx,
        StorageConfig.fromEnv(env("json", "postgresql", "dual", db), dir), "postgresql", true);
    await(postgres.start());
    assertEquals("Иван", await(postgres.users().find("telegram", 42)).orElseThrow().firstName());
    await(postgres.close());
  }
}
