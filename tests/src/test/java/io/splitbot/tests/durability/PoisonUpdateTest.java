package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.WorkerConfig;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.basic.WelcomeHandlers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An update whose handler always fails goes to the dead letters; its chat moves on; replay works once fixed. */
@ExtendWith(VertxExtension.class)
class PoisonUpdateTest {

  @Test
  void poisonGoesToDeadLettersTheChatMovesOnAndReplayWorksOnceFixed(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("poison");
    Path data = dir.resolve("data");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), data);
    env.put("MAX_HANDLER_ATTEMPTS", "3");
    AtomicBoolean broken = new AtomicBoolean(true);
    SplitbotApp app = SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), resources ->
        WelcomeHandlers.install(new Bot()).command("poison", ctx -> broken.get()
            ? Future.failedFuture(new IllegalStateException("the handler is broken"))
            : ctx.reply("cured").mapEmpty())).await();

    WebhookDeliverer telegram = WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET);
    telegram.deliverAll(List.of(
        Updates.message(1, 600, "/echo before"),
        Updates.message(2, 600, "/poison"),
        Updates.message(3, 600, "/echo after"),
        Updates.message(4, 600, "/echo and after that")), Duration.ofSeconds(20));
    fake.awaitCalls("sendMessage", 3, Duration.ofSeconds(20));
    assertEquals(List.of("before", "after", "and after that"), texts(fake), "the chat's next updates are answered");
    assertEquals(1, app.worker().stats().deadLettered.get());
    assertEquals(3, app.worker().stats().failedAttempts.get());

    Map<String, String> cliEnv = Map.of("DATA_DIR", data.toString());
    JvmProcess list = JvmProcess.start("cli-list", JvmProcess.workerJar(), cliEnv, dir, "dead-letters", "list");
    assertEquals(0, list.waitForExit(Duration.ofSeconds(30)), list.output());
    assertTrue(list.output().contains("the handler is broken"), list.output());
    assertTrue(list.output().lines().anyMatch(l -> l.startsWith("2 ") && l.contains("600")), list.output());

    // Telegram redelivering it changes nothing: it is not handled twice, nor dead-lettered twice.
    telegram.deliverAll(List.of(Updates.message(2, 600, "/poison")), Duration.ofSeconds(10));
    Thread.sleep(500);
    assertEquals(3, app.worker().stats().failedAttempts.get());

    broken.set(false);
    JvmProcess replay = JvmProcess.start("cli-replay", JvmProcess.workerJar(), cliEnv, dir, "dead-letters", "replay", "2");
    assertEquals(0, replay.waitForExit(Duration.ofSeconds(60)), replay.output());
    assertTrue(replay.output().contains("replayed and handled"), replay.output());
    assertEquals(List.of("before", "after", "and after that", "cured"), texts(fake));

    JvmProcess empty = JvmProcess.start("cli-list-again", JvmProcess.workerJar(), cliEnv, dir, "dead-letters", "list");
    assertEquals(0, empty.waitForExit(Duration.ofSeconds(30)));
    assertTrue(empty.output().contains("No dead letters."), empty.output());

    JvmProcess drop = JvmProcess.start("cli-drop", JvmProcess.workerJar(), cliEnv, dir, "dead-letters", "drop", "99");
    assertEquals(1, drop.waitForExit(Duration.ofSeconds(30)));
    assertTrue(drop.output().contains("No dead letter for update 99."), drop.output());
  }

  private static List<String> texts(FakeTelegramApi fake) {
    return fake.calls("sendMessage").stream().map(c -> c.params().getString("text")).toList();
  }
}
