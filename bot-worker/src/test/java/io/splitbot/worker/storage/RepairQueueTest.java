package io.splitbot.worker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.storage.dual.RepairQueue;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepairQueueTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void entriesSurviveARestartUntilDoneAndATornLastLineIsIgnored(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("dual").resolve("repair-queue.jsonl");
    RepairQueue q = new RepairQueue(vertx, file);
    q.open().await();
    long a = q.add("requests", "250927-001", "postgresql", "secondary down").await();
    long b = q.add("requests", "250927-001", "postgresql", "secondary down").await();
    long c = q.add("users", "42", "json", "fallback").await();
    assertTrue(q.hasPending("requests", "250927-001", "postgresql"));
    assertTrue(q.hasPendingExcept("requests", "250927-001", "postgresql", a));
    assertFalse(q.hasPendingExcept("users", "42", "json", c));
    assertEquals(2, q.idsOf("requests", "250927-001", "postgresql").length);
    q.done(a);
    q.close().await();
    // a crash in the middle of appending leaves a torn last line; that add was never acknowledged
    Files.writeString(file, "{\"op\":\"add\",\"id\":99,\"kind\":\"us", StandardOpenOption.APPEND);

    RepairQueue again = new RepairQueue(vertx, file);
    again.open().await();
    assertEquals(List.of(b, c), again.pending().stream().map(RepairQueue.Entry::id).toList());
    assertEquals(2, RepairQueue.countPending(file));
    long d = again.add("users", "43", "json", "x").await();
    assertTrue(d > c, "ids keep growing");
    again.done(b, c, d);
    assertEquals(0, again.size());
    again.close().await();
    assertEquals(0, RepairQueue.countPending(file));
  }

  @Test
  void aDamagedJournalStopsStartUpUntouched(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("repair-queue.jsonl");
    Files.writeString(file, "{\"op\":\"add\",\"id\":1,\"kind\":\"users\",\"key\":\"1\",\"target\":\"json\"}\nGARBAGE\n"
        + "{\"op\":\"done\",\"id\":1}\n");
    byte[] before = Files.readAllBytes(file);
    RepairQueue q = new RepairQueue(vertx, file);
    Throwable e = assertThrows(RuntimeException.class, () -> q.open().await());
    assertTrue(e.getMessage().contains("damaged at line 2"), e.getMessage());
    assertEquals(new String(before), Files.readString(file));
  }
}
