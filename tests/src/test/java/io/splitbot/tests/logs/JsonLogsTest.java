package io.splitbot.tests.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.HttpClients;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * bot-worker.jar run as a process with LOG_FORMAT=json: every line it prints is a JSON object; every line written
 * while an update is handled carries that update's update_id and chat_id (across retries, Bot API calls and the
 * edge's forwarding); an internal HTTP request's lines carry its request_id; and no token, secret or phone number
 * appears anywhere.
 */
@ExtendWith(VertxExtension.class)
class JsonLogsTest {
  private static final Pattern MENTIONS_UPDATE = Pattern.compile("\\bupdate (\\d+)\\b");

  @Test
  void aScriptedRunLogsJsonLinesThatCarryTheirUpdateAndNoSecret(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("json-logs");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
    env.put("LOG_FORMAT", "json");
    env.put("LOG_LEVEL", "debug");
    int workerPort = Integer.parseInt(env.get("WORKER_PORT"));

    try (JvmProcess bot = JvmProcess.start("bot-json", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + env.get("PORT") + "/health/ready", 200, Duration.ofSeconds(60));
      // A 5xx the client retries, then a 400 whose description quotes a phone number: the handler fails once, reruns.
      fake.injectError("sendMessage", 1, 502, "Bad Gateway");
      fake.injectError("sendMessage", 1, 400, "Bad Request: can't parse entities near +7 999 123-45-67");
      List<JsonObject> updates = new ArrayList<>(Updates.echoes(60_000, 9, 3, 6_000_000));
      updates.add(Updates.message(60_009, 6_000_001, "/echo call me at +7 999 123-45-67"));
      WebhookDeliverer.telegram(Integer.parseInt(env.get("PORT")), TestEnv.WEBHOOK_SECRET).deliverAll(updates, Duration.ofSeconds(30));
      fake.awaitCalls("sendMessage", 10, Duration.ofSeconds(30));

      HttpResponse<String> stats = HttpClients.http1(Duration.ofSeconds(2)).send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + workerPort + "/monitoring/webhook/stats"))
          .header("X-Request-Id", "req-json-logs-1").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, stats.statusCode());
      assertEquals("req-json-logs-1", stats.headers().firstValue("X-Request-Id").orElse(null));
      Thread.sleep(500);
      bot.terminate(Duration.ofSeconds(30));
    }

    String output = Files.read(dir.resolve("bot-json.log"));
    List<JsonObject> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        lines.add(new JsonObject(line));
      } catch (DecodeException e) {
        throw new AssertionError("not a JSON line: " + line);
      }
    }
    int withUpdate = 0;
    for (JsonObject line : lines) {
      assertTrue(line.containsKey("@timestamp") && line.containsKey("level") && line.containsKey("logger")
          && line.containsKey("message"), line.encode());
      Matcher m = MENTIONS_UPDATE.matcher(line.getString("message"));
      if (m.find() && Long.parseLong(m.group(1)) >= 60_000) {
        assertEquals(m.group(1), line.getString("update_id"), "a line about an update carries its update_id: " + line.encode());
        assertTrue(line.containsKey("chat_id"), line.encode());
      }
      // The calls the worker makes once at start (the command menu, the webhook's state) belong to no update.
      boolean atStart = line.getString("message").matches("Bot API (setMyCommands|getWebhookInfo) .*");
      if (!atStart && (line.getString("logger").startsWith("io.splitbot.worker.pipeline")
          || line.getString("logger").startsWith("io.splitbot.shared.telegram")
          || line.getString("logger").startsWith("io.splitbot.edge.forward"))) {
        assertTrue(line.containsKey("update_id"), "a line written while handling an update has no update_id: " + line.encode());
      }
      if (line.containsKey("update_id")) {
        withUpdate++;
      }
    }
    System.out.println("[logs] " + lines.size() + " JSON lines, " + withUpdate + " with an update_id");
    // Each of the 10 updates: forwarded, handled, confirmed; plus the retries.
    assertTrue(withUpdate >= 30, withUpdate + " lines with an update_id");
    assertTrue(lines.stream().anyMatch(l -> "io.splitbot.shared.telegram.BotApiClient".equals(l.getString("logger"))
        && l.getString("message").contains("retrying") && l.containsKey("update_id")), "the Bot API retry line carries its update");
    assertTrue(lines.stream().anyMatch(l -> l.getString("message").contains("handler failed") && l.getString("message").contains("***67")),
        "the handler failure is logged with the phone number masked");
    assertTrue(lines.stream().anyMatch(l -> "req-json-logs-1".equals(l.getString("request_id"))
        && l.getString("message").contains("/monitoring/webhook/stats")), "the internal HTTP request's line carries its request_id");
    assertFalse(output.contains(TestEnv.TOKEN_SECRET_PART), "the bot token appeared in the log");
    assertFalse(output.contains(TestEnv.WEBHOOK_SECRET), "the webhook secret appeared in the log");
    assertFalse(output.contains("123-45-67"), "a phone number appeared in the log");
  }

  /** Reads a file as UTF-8. */
  static final class Files {
    static String read(Path file) throws java.io.IOException {
      return java.nio.file.Files.readString(file);
    }
  }
}
