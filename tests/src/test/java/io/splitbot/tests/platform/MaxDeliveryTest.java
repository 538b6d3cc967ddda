package io.splitbot.tests.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeMaxApi;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.MemberList;
import io.splitbot.tests.support.MaxTestUpdates;
import io.splitbot.tests.support.ModuleJar;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bot module written once (EverywhereModule, which names no platform) answers MAX's webhook updates through the
 * whole runtime: each update handled once, in order per dialog, with resent ones skipped, in one JVM next to Telegram
 * traffic and in two processes on the cluster.
 */
@ExtendWith(VertxExtension.class)
class MaxDeliveryTest {
  static final String MAX_TOKEN = "max-test-token_0123456789abcdefXYZ";
  static final String MAX_SECRET = "max-webhook-secret-42";
  private static final int DIALOGS = 50;
  private static final int PER_DIALOG = 10;
  private static final long T0 = 1_775_025_600_000L;

  private FakeMaxApi max;
  private FakeTelegramApi telegram;
  private Path dir;
  private Path module;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    max = new FakeMaxApi(vertx, MAX_TOKEN);
    max.start().await();
    telegram = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    telegram.start().await();
    dir = TestEnv.tempDir("max");
    module = ModuleJar.build("everywhere", dir);
  }

  @AfterEach
  void stop() {
    max.stop().await();
    telegram.stop().await();
  }

  /** Per dialog: the Start press, eight messages, a press of the Start message's button; every 7th sent twice. */
  static List<JsonObject> maxTraffic() {
    List<JsonObject> updates = new ArrayList<>();
    for (int d = 0; d < DIALOGS; d++) {
      long chat = 700_000 + d;
      long user = 800_000 + d;
      updates.add(MaxTestUpdates.botStarted(chat, user, T0 + d));
      for (int k = 1; k <= PER_DIALOG - 2; k++) {
        updates.add(MaxTestUpdates.message(chat, user, "mid.%016x".formatted(d * 100 + k), T0 + k * 1000 + d, "n" + k));
      }
      updates.add(MaxTestUpdates.callback(chat, user, "cb" + d, "k:" + user, "mid.start" + d, T0 + 20_000 + d));
    }
    return updates;
  }

  private Map<String, String> env(Map<String, String> base) {
    return TestEnv.withMaxWebhook(base, max, MAX_SECRET);
  }

  @Test
  void oneJvmAnswersMaxAndTelegramAtOnceWithoutCrossTalk() throws Exception {
    List<JsonObject> maxUpdates = maxTraffic();
    maxUpdates.forEach(max::pushUpdate); // the fake learns the dialogs and callbacks MAX would know
    // Telegram chat 700000 and MAX dialog 700000 are two chats: the same id on two platforms
    List<JsonObject> telegramUpdates = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      telegramUpdates.add(Updates.message(1_000 + i, 700_000 + i % 10, "t" + i));
    }
    Map<String, String> env = env(TestEnv.webhookEnv(telegram.baseUrl(), dir.resolve("data")));
    try (JvmProcess bot = JvmProcess.startClassPath("bot", List.of(JvmProcess.workerJar(), module),
        "io.splitbot.worker.WorkerMain", env, dir)) {
      int port = Integer.parseInt(env.get("PORT"));
      bot.awaitHttp("http://127.0.0.1:" + port + "/health/live", 200, Duration.ofSeconds(60));
      List<JsonObject> resent = new ArrayList<>(maxUpdates);
      for (int i = 0; i < maxUpdates.size(); i += 7) {
        resent.add(maxUpdates.get(i));
      }
      CompletableFuture<Void> fromTelegram = CompletableFuture.runAsync(() -> deliver(
          WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET), telegramUpdates));
      deliver(WebhookDeliverer.max(port, MAX_SECRET), resent);
      fromTelegram.join();

      assertMaxAnsweredOnceInOrder();
      telegram.awaitCalls("sendMessage", telegramUpdates.size(), Duration.ofSeconds(60));
      Map<String, List<String>> perChat = new HashMap<>();
      telegram.calls("sendMessage").forEach(c -> perChat.computeIfAbsent(String.valueOf(c.params().getValue("chat_id")),
          k -> new ArrayList<>()).add(c.params().getString("text")));
      for (int chat = 0; chat < 10; chat++) {
        List<String> expected = new ArrayList<>();
        for (int i = chat; i < 100; i += 10) {
          expected.add("telegram " + (700_000 + chat) + " said t" + i);
        }
        assertEquals(expected, perChat.get(String.valueOf(700_000 + chat)), "Telegram chat " + chat);
      }
      System.out.println("[max] 429 answers from the fake: " + max.rateLimitRejections());
      assertTrue(max.sent().stream().noneMatch(m -> m.getJsonObject("body").getString("text").startsWith("telegram")),
          "no Telegram reply went to MAX");
      assertTrue(telegram.calls("sendMessage").stream().noneMatch(c -> c.params().getString("text").contains("max")),
          "no MAX reply went to Telegram");

      // The counts keep the platforms apart too: at the edge, at the worker, and in Prometheus.
      int workerPort = Integer.parseInt(env.get("WORKER_PORT"));
      JsonObject stats = Http.get(workerPort, "/monitoring/webhook/stats").json();
      JsonObject maxStats = stats.getJsonObject("platforms").getJsonObject("max");
      JsonObject telegramStats = stats.getJsonObject("platforms").getJsonObject("telegram");
      assertEquals(resent.size(), maxStats.getJsonObject("edge").getLong("acked"), stats.encodePrettily());
      assertEquals(telegramUpdates.size(), telegramStats.getJsonObject("edge").getLong("acked"));
      assertEquals(maxUpdates.size(), maxStats.getJsonObject("totals").getLong("handled"), stats.encodePrettily());
      assertEquals(telegramUpdates.size(), telegramStats.getJsonObject("totals").getLong("handled"));
      // The runtime recorded every sender, for this module as for any: 50 MAX users, 10 Telegram users.
      JsonObject coverage = Http.get(workerPort, "/monitoring/profiles/coverage").json();
      assertEquals(DIALOGS, coverage.getJsonObject("platforms").getJsonObject("max").getLong("users"), coverage.encodePrettily());
      assertEquals(10, coverage.getJsonObject("platforms").getJsonObject("telegram").getLong("users"));
      String metrics = Http.get(workerPort, "/metrics").body() + Http.get(port, "/metrics").body();
      String instance = MemberList.instanceLabel(MemberList.fromWorker(workerPort, null), "edge");
      assertTrue(metrics.contains("splitbot_edge_platform_updates_total{" + instance + ",outcome=\"acked\",platform=\"max\"} "
          + resent.size() + ".0"),
          metrics);
    }
  }

  @Test
  void anEdgeAndAWorkerInTwoProcessesAnswerMax() throws Exception {
    List<JsonObject> maxUpdates = maxTraffic();
    maxUpdates.forEach(max::pushUpdate);
    ClusterEnv cluster = ClusterEnv.create(telegram.baseUrl(), dir);
    Map<String, String> edgeEnv = env(cluster.edge());
    Map<String, String> workerEnv = env(cluster.worker());
    try (JvmProcess edge = JvmProcess.start("edge", JvmProcess.edgeJar(), edgeEnv, dir);
        JvmProcess worker = JvmProcess.startClassPath("worker", List.of(JvmProcess.workerJar(), module),
            "io.splitbot.worker.WorkerMain", workerEnv, dir)) {
      edge.awaitHttp("http://127.0.0.1:" + cluster.edgePort() + "/health/live", 200, Duration.ofSeconds(60));
      List<JsonObject> resent = new ArrayList<>(maxUpdates);
      for (int i = 3; i < maxUpdates.size(); i += 7) {
        resent.add(maxUpdates.get(i));
      }
      deliver(WebhookDeliverer.max(cluster.edgePort(), MAX_SECRET), resent);
      assertMaxAnsweredOnceInOrder();
    }
  }

  private static void deliver(WebhookDeliverer deliverer, List<JsonObject> updates) {
    try {
      deliverer.deliverAll(updates, Duration.ofSeconds(120));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Ten messages per dialog: the greeting, the eight echoes in order, then the press; the press also answered. */
  private void assertMaxAnsweredOnceInOrder() {
    max.awaitSent(DIALOGS * PER_DIALOG, Duration.ofSeconds(120));
    max.awaitAnswers(DIALOGS, Duration.ofSeconds(30));
    Map<Long, List<String>> perDialog = new HashMap<>();
    for (JsonObject m : max.sent()) {
      perDialog.computeIfAbsent(m.getJsonObject("recipient").getLong("chat_id"), k -> new ArrayList<>())
          .add(m.getJsonObject("body").getString("text"));
    }
    assertEquals(DIALOGS, perDialog.size());
    for (int d = 0; d < DIALOGS; d++) {
      long user = 800_000 + d;
      List<String> expected = new ArrayList<>();
      expected.add("started on max");
      for (int k = 1; k <= PER_DIALOG - 2; k++) {
        expected.add("max " + user + " said n" + k);
      }
      expected.add("pressed k:" + user + " on max");
      assertEquals(expected, perDialog.get(700_000L + d), "dialog " + d);
    }
    assertEquals(DIALOGS * PER_DIALOG, max.sent().size(), "nothing answered twice");
    assertEquals(DIALOGS, max.answers().size());
    assertTrue(max.answers().stream().allMatch(a -> "ok".equals(a.notification())));
  }
}
