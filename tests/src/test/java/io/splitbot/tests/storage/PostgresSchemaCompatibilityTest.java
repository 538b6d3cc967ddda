package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.StatusChange;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A database that an older worker set up with the V1 schema only, holding its rows, is read by the generic layer
 * as it is: read-only (a migration source) without the key-value table and with users, requests and comments that
 * have no platform (read as Telegram's), and after a start that adds them. Its conversations table, which nothing reads any more, keeps its
 * rows.
 */
class PostgresSchemaCompatibilityTest {
  static Vertx vertx;
  static String database;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    database = PgDatabases.create("splitbot_v1");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    PgDatabases.drop(database);
  }

  @Test
  void rowsWrittenUnderTheV1SchemaAreReadAndChanged() throws Exception {
    Flyway.configure().dataSource("jdbc:postgresql://" + PgDatabases.HOST + ":" + PgDatabases.PORT + "/" + database,
        "postgres", "").locations("classpath:db/migration").table("splitbot_schema_history").target("1").load()
        .migrate();
    try (Connection c = PgDatabases.connect(database); Statement s = c.createStatement()) {
      s.execute("INSERT INTO users VALUES (7, 'Иван', NULL, 'ivan', 'ru', 'webhook', '2025-09-27 08:00:00.123+00',"
          + " '2025-09-27 08:00:00.123+00')");
      s.execute("INSERT INTO requests VALUES ('250927-001', 7, 'Течёт кран', 'O''Brien', 'ул. Примерная', '12',"
          + " 'plumbing', 'urgent', '+998901234567', 'Иван', true, 1234.50, NULL, 'new', NULL,"
          + " '2025-09-27 08:00:00+00', '2025-09-27 08:00:00+00')");
      s.execute("INSERT INTO status_history VALUES ('h1', '250927-001', NULL, 'new', 7, '2025-09-27 08:00:00+00')");
      s.execute("INSERT INTO comments VALUES ('c1', '250927-001', 7, 'Жду', '2025-09-27 08:01:00+00')");
      s.execute("INSERT INTO counters VALUES ('250927', 1)");
      // the desk's /new state before sessions: no longer read, and left in place for the operator
      s.execute("INSERT INTO conversations VALUES ('-100123:42', 'phone', '{\"title\":\"x\"}', '2025-09-27 08:00:00+00')");
    }
    StorageConfig config = TestBackends.postgres(database);

    Storage source = StorageFactory.plain(vertx, config, "postgresql", true);
    await(source.start());
    ServiceRequest r = await(new DeskStorage(source).requests().find("250927-001")).orElseThrow();
    assertEquals("Течёт кран", r.title());
    assertEquals(new BigDecimal("1234.5"), r.estimatedCost());
    // requests and comments had no platforms then either: Telegram's
    assertEquals(UserRef.telegram(7), r.requester());
    assertEquals(UserRef.telegram(7), await(new DeskStorage(source).comments().list("250927-001")).get(0).author());
    assertEquals(1, await(new DeskStorage(source).requests().listByRequester(UserRef.telegram(7), 0, 10)).total());
    assertEquals(List.of(), await(source.keyValue("scores").list("")), "no kv table yet: empty");
    // users had no platform then: a read-only source reads its rows as Telegram's, by scan and by key
    List<UserProfile> old = await(source.records(Kinds.USERS).scan(null, 10));
    assertEquals(List.of("telegram/7"), old.stream().map(Kinds.USERS::key).toList());
    assertEquals("Иван", await(source.users().find("telegram", 7)).orElseThrow().firstName());
    assertTrue(await(source.users().find("max", 7)).isEmpty());
    assertEquals(1, await(source.users().list("telegram", 0, 10)).total());
    await(source.close());

    Storage storage = StorageFactory.create(vertx, config);
    await(storage.start());
    DeskStorage desk = new DeskStorage(storage);
    assertEquals(1, await(desk.requests().search("o'brien", "new", 0, 10)).total());
    assertEquals(1, await(desk.requests().listByRequester(UserRef.telegram(7), 0, 10)).total(), "the V1 row is Telegram's");
    assertEquals(0, await(desk.requests().listByRequester(new UserRef("max", 7), 0, 10)).total());
    await(desk.requests().create(ServiceRequest.builder().number("250927-002").requester(new UserRef("max", 7)).title("Дверь").build()));
    assertEquals(List.of("250927-002"), await(desk.requests().listByRequester(new UserRef("max", 7), 0, 10)).items().stream()
        .map(ServiceRequest::number).toList());
    assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM requests WHERE requester_platform = 'max'"));
    assertEquals("ivan", await(storage.users().find("telegram", 7)).orElseThrow().username(), "the V1 row is Telegram's");
    await(storage.users().upsert(UserProfile.fromWebhook("max", 7, "Борис", null, null, "ru")));
    assertEquals("Борис", await(storage.users().find("max", 7)).orElseThrow().firstName());
    assertEquals("Иван", await(storage.users().find("telegram", 7)).orElseThrow().firstName(), "MAX user 7 is another row");
    assertEquals(2, PgDatabases.count(database, "SELECT count(*) FROM users WHERE user_id = 7"));
    assertEquals(2L, await(desk.counters().nextCounter("250927")));
    await(desk.requests().changeStatus("250927-001", "new", "in_progress", 7));
    assertEquals(List.of("new", "in_progress"),
        await(desk.history().statusHistory("250927-001")).stream().map(StatusChange::toStatus).toList());
    assertNull(await(storage.keyValue("scores").get("alice")));
    await(storage.keyValue("scores").put("alice", new JsonObject().put("points", 3)));
    assertEquals(3, await(storage.keyValue("scores").get("alice")).getInteger("points"));
    await(storage.close());
    assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM conversations WHERE key = '-100123:42'"));
  }
}
