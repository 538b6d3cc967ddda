package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.storage.ThrowawayPostgres;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.FrozenFolder;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The desk's storage goes away for 10 s while 50 users are in the middle of /new, with bot-worker.jar in one JVM:
 * PostgreSQL stopped, or the JSON store's folder made unwritable. Five handler attempts would pass in well under a
 * second, but an outage spends none: every step is answered once the store is back, exactly once, and nothing is
 * dead-lettered.
 */
@ExtendWith(VertxExtension.class)
class StoreOutageTest {
  private static final int USERS = 50;
  private static final Duration OUTAGE = Duration.ofSeconds(10);

  /** Takes the store away, and brings it back. */
  private interface Outage {
    void begin() throws Exception;

    void end() throws Exception;
  }

  @Test
  void postgresStoppedFor10sDeadLettersNothingAndEveryStepIsAnsweredAfterwards(Vertx vertx) throws Exception {
    try (ThrowawayPostgres pg = ThrowawayPostgres.create()) {
      pg.createDatabase("outage");
      Map<String, String> extra = Map.of("DATABASE_URL", pg.url("outage"), "STORAGE_BACKEND", "postgresql");
      fiftyStepsSurvive(vertx, "pg-outage", extra, dataDir -> new Outage() {
        @Override
        public void begin() throws Exception {
          pg.stop();
        }

        @Override
        public void end() throws Exception {
          pg.start();
        }
      });
    }
  }

  @Test
  void anUnwritableJsonStoreFor10sDeadLettersNothingAndEveryStepIsAnsweredAfterwards(Vertx vertx) throws Exception {
    fiftyStepsSurvive(vertx, "json-outage", Map.of("STORAGE_BACKEND", "json"), dataDir -> new Outage() {
      // The store writes a temporary file and renames it over the old one: an immutable folder refuses both.
      @Override
      public void begin() throws Exception {
        FrozenFolder.freeze(dataDir.resolve("storage"));
      }

      @Override
      public void end() throws Exception {
        FrozenFolder.thaw(dataDir.resolve("storage"));
      }
    });
  }

  private interface OutageOf {
    Outage of(Path dataDir);
  }

  private static void fiftyStepsSurvive(Vertx vertx, String name, Map<String, String> storage, OutageOf outageOf) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir(name);
    Path data = dir.resolve("data");
    Map<String, String> env = DeskHarness.env(fake, data);
    env.putAll(storage);
    int edgePort = Integer.parseInt(env.get("PORT"));
    int workerPort = Integer.parseInt(env.get("WORKER_PORT"));
    DeskHarness desk = DeskHarness.external(fake, edgePort, workerPort);
    Outage outage = outageOf.of(data);
    boolean down = false;
    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + edgePort + "/health/ready", 200, Duration.ofSeconds(60));
      List<TestChat> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        TestChat user = desk.user(9_000 + i, "User" + i, "Outage", "en");
        user.send("/new");
        assertTrue(user.lastMessage().text().contains("Step 1 of 8."), user.lastMessage().text());
        users.add(user);
      }

      outage.begin();
      down = true;
      long downAt = System.nanoTime();
      desk.tester().awaitHandling(false); // acked into the spool; the worker cannot finish them yet
      for (int i = 0; i < USERS; i++) {
        users.get(i).send("Broken radiator " + i);
      }
      // The outage lasts its 10 s whatever the bot does: that is the scenario, not a wait for the bot.
      long left = OUTAGE.toNanos() - (System.nanoTime() - downAt);
      if (left > 0) {
        TimeUnit.NANOSECONDS.sleep(left);
      }
      // A store that still reads (the JSON files) may let a step be answered before its session is saved; the save
      // then waits for the store, and the answer is never sent again. A store that does not read answers nothing.
      for (TestChat user : users) {
        assertTrue(stepTwoAnswers(user) <= 1, "answered twice while the store was down: " + user.transcript());
      }
      outage.end();
      down = false;

      fake.await(() -> users.stream().allMatch(user -> stepTwoAnswers(user) > 0), Duration.ofSeconds(90),
          () -> "not answered after the store came back: " + users.stream().filter(user -> stepTwoAnswers(user) == 0)
              .map(TestChat::transcript).toList() + "\n" + bot.output());
      for (TestChat user : users) {
        assertEquals(1, stepTwoAnswers(user), "each step answered exactly once: " + user.transcript());
      }
      // Every session was saved in the end (each /new and each step handled): each conversation goes on from step 2.
      desk.tester().awaitHandled(2L * USERS, Duration.ofSeconds(90));
      desk.tester().awaitHandling(true);
      for (TestChat user : users) {
        user.send("The radiator in the hall is cold");
        assertTrue(user.lastMessage().text().contains("Step 3 of 8."), String.valueOf(user.transcript()));
      }
      assertTrue(bot.output().contains("postponed"), "the worker said it would retry later");

      JvmProcess list = JvmProcess.start("dead-letters", JvmProcess.workerJar(), Map.of("DATA_DIR", data.toString()), dir,
          "dead-letters", "list");
      assertEquals(0, list.waitForExit(Duration.ofSeconds(60)), list.output());
      assertTrue(list.output().contains("No dead letters."), list.output());
    } finally {
      if (down) {
        outage.end();
      }
      fake.stop().await();
    }
  }

  private static long stepTwoAnswers(TestChat user) {
    return user.replies().stream().filter(r -> !r.edited() && r.text().contains("Step 2 of 8.")).count();
  }
}
