package io.splitbot.tests.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.ModuleJar;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bot of a user's own, built outside the reactor (src/test/resources/modules/counter), run with the shipped jar:
 * {@code java -cp bot-worker.jar:counter.jar io.splitbot.worker.WorkerMain}, in one JVM and as a worker behind a
 * separate edge. Its per-chat counter lives in its key-value store (the JSON files, PostgreSQL), its count of /count
 * in the chat's session, and both keep counting, neither twice, across a kill -9.
 */
@ExtendWith(VertxExtension.class)
class OwnModuleTest {
  private static final String MAIN = "io.splitbot.worker.WorkerMain";
  private static final String GREETING = "Hello! I count: send /count.";

  /** The reply to the chat's n-th /count: the key-value store's counter and the session's count agree. */
  private static String count(int n) {
    return "Count: " + n + " (session: " + n + ")";
  }
  private static Path counterJar;

  private final AtomicLong updateIds = new AtomicLong(70_000);
  private FakeTelegramApi fake;

  @BeforeAll
  static void buildModule() throws Exception {
    counterJar = ModuleJar.build("counter", TestEnv.tempDir("own-module-jar"));
  }

  @BeforeEach
  void startTheFakeBotApi(Vertx vertx) {
    fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
  }

  @Test
  void theCounterKeepsCountingAcrossAKillAndRestart() throws Exception {
    Path dir = TestEnv.tempDir("own-module-kill");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
    int port = Integer.parseInt(env.get("PORT"));
    String ready = "http://127.0.0.1:" + port + "/health/ready";
    WebhookDeliverer telegram = WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET);
    long chat = 7_100_001;

    try (JvmProcess bot = start("bot", env, dir)) {
      bot.awaitHttp(ready, 200, Duration.ofSeconds(60));
      assertEquals(GREETING, send(telegram, chat, "/start"));
      for (int n = 1; n <= 3; n++) {
        assertEquals(count(n), send(telegram, chat, "/count"));
      }
      // At once: the last /count may not be marked handled yet, so the restarted worker can run it again; the
      // module's ctx.once and the effect ledger keep that run from counting or replying a second time.
      bot.kill();
    }
    try (JvmProcess bot = start("bot-restarted", env, dir)) {
      bot.awaitHttp(ready, 200, Duration.ofSeconds(60));
      assertEquals(count(4), send(telegram, chat, "/count"));
      assertEquals(count(5), send(telegram, chat, "/count"));
      assertEquals(count(1), send(telegram, chat + 1, "/count"), "another chat counts on its own");
    }
    assertEquals(List.of(GREETING, count(1), count(2), count(3), count(4), count(5)), replies(chat),
        "every reply once, in order");
    JsonObject menu = fake.calls("setMyCommands").get(0).params();
    assertEquals(List.of("start: Say hello", "count: Count one more"), menu.getJsonArray("commands").stream()
        .map(c -> ((JsonObject) c).getString("command") + ": " + ((JsonObject) c).getString("description")).toList(), menu.encode());
  }

  @Test
  void theModuleRunsAsAWorkerBehindASeparateEdgeWithItsStoreInPostgres() throws Exception {
    Path dir = TestEnv.tempDir("own-module-cluster");
    ClusterEnv env = ClusterEnv.create(fake.baseUrl(), dir);
    String database = PgDatabases.create("own_module");
    env.worker().put("DATABASE_URL", PgDatabases.url(database));
    WebhookDeliverer telegram = WebhookDeliverer.telegram(env.edgePort(), TestEnv.WEBHOOK_SECRET);
    long chat = 7_200_001;

    try (JvmProcess worker = start("worker", env.worker(), dir);
         JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), env.edge(), dir)) {
      // The worker first, so a module that cannot start fails the test with its output; then the edge, ready only once
      // it reaches the worker's consumer over the clustered event bus.
      worker.awaitHttp("http://127.0.0.1:" + env.worker().get("WORKER_PORT") + "/health/ready", 200, Duration.ofSeconds(90));
      edge.awaitHttp(env.edgeReadyUrl(), 200, Duration.ofSeconds(90));
      assertEquals(GREETING, send(telegram, chat, "/start"));
      assertEquals(count(1), send(telegram, chat, "/count"));
      assertEquals(count(2), send(telegram, chat, "/count"));
      assertTrue(worker.output().contains("BOT_ROLE=worker, TELEGRAM_MODE=webhook, bot module com.example.counter.CounterModule"),
          worker.output());
      // The counter is the module's own row in the kv table, not a file of the worker's.
      assertEquals(2, PgDatabases.count(database, "SELECT (value->>'value')::int FROM kv WHERE store = 'counter' AND key = '" + chat + "'"));
    } finally {
      PgDatabases.drop(database);
    }
  }

  private static JvmProcess start(String name, Map<String, String> env, Path dir) throws Exception {
    return JvmProcess.startClassPath(name, List.of(JvmProcess.workerJar(), counterJar), MAIN, env, dir);
  }

  /** Posts a message as Telegram does and returns the text of the one reply it gets at the fake. */
  private String send(WebhookDeliverer telegram, long chat, String text) throws Exception {
    int before = fake.calls("sendMessage").size();
    telegram.deliver(Updates.message(updateIds.incrementAndGet(), chat, text), System.nanoTime() + Duration.ofSeconds(30).toNanos());
    fake.awaitCalls("sendMessage", before + 1, Duration.ofSeconds(30));
    JsonObject reply = fake.calls("sendMessage").get(before).params();
    assertEquals(String.valueOf(chat), String.valueOf(reply.getValue("chat_id")), "the reply goes to the chat that asked");
    return reply.getString("text");
  }

  private List<String> replies(long chat) {
    return fake.calls("sendMessage").stream()
        .filter(c -> String.valueOf(chat).equals(String.valueOf(c.params().getValue("chat_id"))))
        .map(c -> c.params().getString("text"))
        .toList();
  }
}
