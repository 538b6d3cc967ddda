package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static io.splitbot.tests.storage.StorageContractTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.shared.retry.RetryLater;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.StatusChange;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped in the middle of an operation: a clear error, nothing half-written, and the retry succeeds once
 * the server is back. Runs on a private cluster (the shared server is never stopped).
 */
class PostgresOutageTest {
  static Vertx vertx;
  static ThrowawayPostgres pg;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    pg = ThrowawayPostgres.create();
    pg.createDatabase("outage");
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await();
    pg.close();
  }

  @Test
  void anOutageMidTransactionLeavesNothingHalfWrittenAndTheRetrySucceeds() throws Exception {
    String url = "postgresql://postgres:s3cretPW@127.0.0.1:" + pg.port() + "/outage";
    Storage storage = StorageFactory.create(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", url), Path.of("unused")));
    await(storage.start());
    await(new DeskStorage(storage).requests().create(ServiceRequest.builder().number("250927-001").requesterId(7).title("leak").build()));

    // Another session holds status_history, so changeStatus updates the request and then waits on its history row.
    Connection blocker = PgDatabases.connect(pg.host(), pg.port(), "outage");
    blocker.setAutoCommit(false);
    try (Statement s = blocker.createStatement()) {
      s.execute("LOCK TABLE status_history IN ACCESS EXCLUSIVE MODE");
    }
    Future<ServiceRequest> change = new DeskStorage(storage).requests().changeStatus("250927-001", "new", "in_progress", 99);
    waitUntilBlocked();
    assertFalse(change.isComplete(), "the operation is in the middle of its transaction");

    pg.crash(); // every session quits at once: the open transaction rolls back, nothing more commits
    Throwable e = failure(change);
    System.out.println("outage error: " + e.getMessage());
    assertInstanceOf(StorageUnavailableException.class, e);
    assertTrue(e.getMessage().contains("PostgreSQL at 127.0.0.1:" + pg.port() + "/outage"), e.getMessage());
    assertTrue(e.getMessage().contains("nothing of this operation was committed"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cretPW"), "no password in errors: " + e.getMessage());

    // while it is down every call fails fast and clearly
    long t0 = System.nanoTime();
    Throwable down = failure(new DeskStorage(storage).requests().find("250927-001"));
    System.out.println("while down: " + down.getMessage());
    assertInstanceOf(StorageUnavailableException.class, down);
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000, "fails fast");
    assertFalse(down.getMessage().contains("s3cretPW"));
    try {
      blocker.close();
    } catch (Exception ignored) {
      // its server went away
    }

    pg.start();
    ServiceRequest before = await(new DeskStorage(storage).requests().find("250927-001")).orElseThrow();
    assertEquals("new", before.status(), "the interrupted update did not survive");
    assertEquals(1, await(new DeskStorage(storage).history().statusHistory("250927-001")).size(), "nor did its history entry");

    ServiceRequest after = await(new DeskStorage(storage).requests().changeStatus("250927-001", "new", "in_progress", 99));
    assertEquals("in_progress", after.status());
    List<StatusChange> history = await(new DeskStorage(storage).history().statusHistory("250927-001"));
    assertEquals(List.of("new", "in_progress"), history.stream().map(StatusChange::toStatus).toList());
    await(storage.close());
  }

  @Test
  void keyValueCallsFailAsRetryLaterWhileTheServerIsDown() throws Exception {
    Storage storage = StorageFactory.create(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", pg.url("outage")),
        Path.of("unused")));
    await(storage.start());
    KeyValueStore scores = storage.keyValue("scores");
    await(scores.put("alice", new JsonObject().put("points", 3)));

    pg.stop();
    for (Throwable e : List.of(failure(scores.get("alice")), failure(scores.put("bob", new JsonObject())),
        failure(scores.delete("alice")), failure(scores.list("", null, 10)))) {
      assertInstanceOf(StorageUnavailableException.class, e);
      assertTrue(RetryLater.in(e), e.toString());
    }

    pg.start();
    assertEquals(new JsonObject().put("points", 3), await(scores.get("alice")));
    assertEquals(List.of("alice"), await(scores.list("")).stream().map(KeyValueStore.Entry::key).toList());
    await(storage.close());
  }

  /** Waits until our changeStatus is seen waiting for the lock in pg_stat_activity. */
  private static void waitUntilBlocked() throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Connection c = PgDatabases.connect(pg.host(), pg.port(), "outage"); Statement s = c.createStatement();
          var r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
              + " AND query LIKE 'INSERT INTO status_history%'")) {
        r.next();
        if (r.getLong(1) > 0) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("changeStatus never reached its history insert");
  }
}
