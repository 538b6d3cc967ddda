package io.splitbot.tests.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.edge.routing.RolloutRouter;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.tests.fakes.FakeLegacyBot;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.LogCapture;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.desk.DeskModule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The edge with a legacy bot configured (one JVM): chats split between the new worker and the legacy webhook, the
 * legacy bot gets the original bodies with its secret, and an outage of the legacy bot, even across an edge restart,
 * loses and repeats nothing.
 */
@ExtendWith(VertxExtension.class)
class LegacyRoutingTest {
  private static final String LEGACY_SECRET = "legacy-secret-5b1c";

  static Map<String, String> env(String apiUrl, Path data, String legacyUrl) {
    Map<String, String> env = TestEnv.webhookEnv(apiUrl, data);
    env.put("LEGACY_WEBHOOK_URL", legacyUrl);
    env.put("LEGACY_WEBHOOK_SECRET", LEGACY_SECRET);
    return env;
  }

  @Test
  void halfTheChatsGoToLegacyWhichIsDownThenRecoversAcrossAnEdgeRestartAndGetsEveryUpdateOnce(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    FakeLegacyBot legacy = new FakeLegacyBot(vertx, TestEnv.freePort()); // not started: connection refused
    Path data = TestEnv.tempDir("legacy-routing");
    Map<String, String> env = env(fake.baseUrl(), data, legacy.url());
    env.put("ROLLOUT_PERCENTAGE", "50");
    RolloutRouter router = new RolloutRouter(SplitbotConfig.fromEnv(env, Role.ALL).routing());

    List<JsonObject> updates = Updates.echoes(40_000, 400, 40, 3_000_000);
    Map<Long, String> routeOf = new HashMap<>();
    for (JsonObject u : updates) {
      routeOf.put(u.getLong("update_id"), router.route(String.valueOf(u.getJsonObject("message").getJsonObject("chat").getLong("id"))));
    }
    List<JsonObject> toWorker = updates.stream().filter(u -> routeOf.get(u.getLong("update_id")).equals(UpdateEnvelope.ROUTE_WORKER)).toList();
    List<JsonObject> toLegacy = updates.stream().filter(u -> routeOf.get(u.getLong("update_id")).equals(UpdateEnvelope.ROUTE_LEGACY)).toList();
    assertTrue(toWorker.size() >= 50 && toLegacy.size() >= 50, "both routes used: " + toWorker.size() + "/" + toLegacy.size());

    Vertx first = Vertx.vertx();
    Map<String, String> bodies = new HashMap<>();
    try (LogCapture logs = LogCapture.attach()) {
      SplitbotApp app = SplitbotApp.deploy(first, WorkerConfig.fromEnv(env), new DeskModule()).await();
      WebhookDeliverer telegram = WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET);
      telegram.deliverAll(updates, Duration.ofSeconds(60));
      updates.forEach(u -> bodies.put(String.valueOf(u.getLong("update_id")), u.encode()));

      // The worker's chats are answered while the legacy bot is down; the legacy chats wait in the spool.
      fake.awaitCalls("sendMessage", toWorker.size(), Duration.ofSeconds(60));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while ((app.edge().stats().legacyRetried.get() < 20 || app.edge().spool().size() > toLegacy.size())
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(app.edge().stats().legacyRetried.get() >= 20, "deliveries to the down legacy bot are retried");
      assertEquals(toLegacy.size(), app.edge().spool().size(), "every legacy update is still held by the spool");
      assertEquals(toWorker.size(), app.edge().stats().routedWorker.get());
      assertEquals(toLegacy.size(), app.edge().stats().routedLegacy.get());
      assertEquals(toWorker.size(), app.worker().stats().received.get(), "the worker never sees a legacy chat's update");
      assertFalse(logs.all().contains(LEGACY_SECRET), "the legacy secret appeared in a log line");
    } finally {
      first.close().await();
    }

    // The edge restarts while the legacy bot is still down: the spool brings every legacy update back.
    Vertx second = Vertx.vertx();
    try {
      SplitbotApp app = SplitbotApp.deploy(second, WorkerConfig.fromEnv(env), new DeskModule()).await();
      assertEquals(toLegacy.size(), app.edge().spool().size(), "after the restart the spool still holds the legacy updates");
      Thread.sleep(300);
      legacy.failNext(5);
      legacy.start().await();

      legacy.awaitAccepted(toLegacy.size(), Duration.ofSeconds(60));
      Thread.sleep(500); // a repeat would show up now
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (app.edge().spool().size() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(0, app.edge().spool().size(), "delivered legacy updates leave the spool");
    } finally {
      second.close().await();
    }

    List<FakeLegacyBot.Delivery> accepted = legacy.accepted();
    Map<Long, Long> times = accepted.stream().collect(Collectors.groupingBy(FakeLegacyBot.Delivery::updateId, Collectors.counting()));
    assertEquals(new TreeSet<>(toLegacy.stream().map(u -> u.getLong("update_id")).toList()), new TreeSet<>(times.keySet()),
        "the legacy bot got exactly the legacy chats' updates");
    assertTrue(times.values().stream().allMatch(n -> n == 1), "an update reached the legacy bot twice: " + times);
    assertTrue(legacy.deliveries().size() > accepted.size(), "the legacy bot's 500s were retried");
    Map<String, List<Long>> perChat = new HashMap<>();
    for (FakeLegacyBot.Delivery d : legacy.deliveries()) {
      assertEquals(bodies.get(String.valueOf(d.updateId())), d.body(), "the legacy bot gets the original body byte for byte");
      assertEquals(LEGACY_SECRET, d.secretHeader());
      assertEquals("application/json", d.contentType());
      if (d.accepted()) {
        perChat.computeIfAbsent(String.valueOf(new JsonObject(d.body()).getJsonObject("message").getJsonObject("chat").getLong("id")),
            k -> new ArrayList<>()).add(d.updateId());
      }
    }
    perChat.forEach((chat, ids) -> {
      for (int i = 1; i < ids.size(); i++) {
        assertTrue(ids.get(i - 1) < ids.get(i), "legacy chat " + chat + " got its updates out of order: " + ids);
      }
    });
    Replies.assertExactlyOnceInOrder(fake, toWorker);
    Set<String> legacyChats = toLegacy.stream()
        .map(u -> String.valueOf(u.getJsonObject("message").getJsonObject("chat").getLong("id"))).collect(Collectors.toSet());
    assertTrue(fake.calls("sendMessage").stream().noneMatch(c -> legacyChats.contains(String.valueOf(c.params().getValue("chat_id")))),
        "the new worker answered a chat that belongs to the legacy bot");
  }

  @Test
  void theEmergencySwitchSendsEveryUpdateToLegacyAndNoneToTheWorker(Vertx vertx) throws Exception {
    everyUpdateGoesToLegacy(vertx, "USE_LEGACY");
  }

  /** Seed 004's operators keep their own name for the switch. */
  @Test
  void seed004sUseMonolithIsTheSameEmergencySwitch(Vertx vertx) throws Exception {
    everyUpdateGoesToLegacy(vertx, "USE_MONOLITH");
  }

  private void everyUpdateGoesToLegacy(Vertx vertx, String emergencySwitch) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    FakeLegacyBot legacy = new FakeLegacyBot(vertx, TestEnv.freePort());
    legacy.start().await();
    Map<String, String> env = env(fake.baseUrl(), TestEnv.tempDir("legacy-switch"), legacy.url());
    env.put("ROLLOUT_PERCENTAGE", "100");
    env.put("ROLLOUT_ALLOW_CHATS", "5000000");
    env.put(emergencySwitch, "true");
    SplitbotApp app = SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), new DeskModule()).await();

    List<JsonObject> updates = Updates.echoes(50_000, 200, 20, 5_000_000);
    WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET).deliverAll(updates, Duration.ofSeconds(30));
    legacy.awaitAccepted(200, Duration.ofSeconds(30));

    // Every update is routed once, when it is spooled: 200 at the legacy bot means all 200 were decided.
    assertEquals(200, legacy.accepted().size());
    assertEquals(200, app.edge().stats().routedLegacy.get());
    assertEquals(0, app.edge().stats().routedWorker.get());
    assertEquals(0, app.worker().stats().received.get(), "the worker got an update while " + emergencySwitch + "=true");
    assertEquals(0, fake.calls("sendMessage").size());
  }
}
