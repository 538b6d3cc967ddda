package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.DeskModule;
import io.splitbot.tests.fakes.FakeTelegramApi;
import io.splitbot.tests.support.LogCapture;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the worker tells and asks Telegram at start: the command menu, and in webhook mode the webhook's state. */
class StartupCallsTest {
  private Vertx vertx;
  private FakeTelegramApi fake;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void webhookModeSetsTheDesksMenuAndLogsTheWebhookState(@TempDir Path dir) {
    fake.respondTo("getWebhookInfo", params -> new JsonObject().put("url", "https://bot.example/webhook/telegram")
        .put("has_custom_certificate", false).put("pending_update_count", 7)
        .put("last_error_message", "Wrong response from the webhook: 502 Bad Gateway"));
    try (LogCapture logs = LogCapture.attach()) {
      SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(TestEnv.webhookEnv(fake.baseUrl(), dir)), new DeskModule()).await();
      fake.awaitCalls("setMyCommands", 1, Duration.ofSeconds(10));
      JsonArray commands = fake.calls("setMyCommands").get(0).params().getJsonArray("commands");
      assertEquals(List.of("start", "help", "new", "my", "status", "find", "cancel", "echo", "assign"),
          commands.stream().map(c -> ((JsonObject) c).getString("command")).toList());
      assertEquals(new JsonObject().put("command", "new").put("description", "File a repair request"), commands.getJsonObject(2));
      fake.awaitCalls("getWebhookInfo", 1, Duration.ofSeconds(10));
      String line = awaitLine(logs, "pending_update_count=");
      assertEquals("webhook: set, pending_update_count=7, last_error_message='Wrong response from the webhook: 502 Bad Gateway'",
          line.substring(line.indexOf("webhook: ")).strip());
    }
  }

  @Test
  void pollingModeSetsAModulesMenuToo(@TempDir Path dir) {
    Map<String, String> env = new HashMap<>(TestEnv.webhookEnv(fake.baseUrl(), dir));
    env.put("TELEGRAM_MODE", "polling");
    Bot bot = new Bot().command("start", "Say hello", ctx -> ctx.reply("hi")).command("stats", ctx -> ctx.reply("0"));
    SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), context -> bot).await();
    fake.awaitCalls("setMyCommands", 1, Duration.ofSeconds(10));
    assertEquals(new JsonArray()
            .add(new JsonObject().put("command", "start").put("description", "Say hello"))
            .add(new JsonObject().put("command", "stats").put("description", "stats")),
        fake.calls("setMyCommands").get(0).params().getJsonArray("commands"));
    assertTrue(fake.calls("getWebhookInfo").isEmpty(), "polling mode has no webhook to ask about");
  }

  /** The first captured line containing {@code text}, waiting for it up to 10 s. */
  private static String awaitLine(LogCapture logs, String text) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      for (String line : logs.lines()) {
        if (line.contains(text)) {
          return line;
        }
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
    }
    throw new AssertionError("no log line with '" + text + "' in:\n" + logs.all());
  }
}
