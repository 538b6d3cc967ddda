package io.splitbot.tests.logs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.ModuleJar;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * bot-worker.jar with the default plain log format, a bot that logs what users write, and a legacy bot's URL with
 * credentials in it: text from a chat cannot forge a log line, and no credential of any shape reaches the output.
 */
@ExtendWith(VertxExtension.class)
class PlainLogsTest {
  private static final String FORGED = "12:00:00.000 ERROR [main] io.splitbot.edge.EdgeVerticle - spool lost";

  @Test
  void userTextStaysOnItsLineAndCredentialsAreMasked(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("plain-logs");
    Path diary = ModuleJar.build("diary", dir);
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
    env.put("LOG_FORMAT", "plain");
    env.put("LOG_LEVEL", "debug");
    // every chat goes to the new worker; the legacy URL is only named at start, with all its credential shapes
    env.put("LEGACY_WEBHOOK_URL", "http://ops:hunter2-userinfo@127.0.0.1:" + TestEnv.freePort()
        + "/hook?secret=legacy-s3cr3t&page=1&access_token=legacy-t0ken");
    env.put("ROLLOUT_PERCENTAGE", "100");
    int port = Integer.parseInt(env.get("PORT"));

    String output;
    try (JvmProcess bot = JvmProcess.startClassPath("bot-plain", List.of(JvmProcess.workerJar(), diary),
        "io.splitbot.worker.WorkerMain", env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + port + "/health/accepting", 200, Duration.ofSeconds(60));
      WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET).deliverAll(List.of(
          Updates.message(70_001, 7_300_001, "dear diary\n" + FORGED),
          Updates.message(70_002, 7_300_001, "crlf\r\n" + FORGED),
          Updates.message(70_003, 7_300_001, "my token is " + TestEnv.TOKEN + ", Authorization: Bearer abc.def-42")),
          Duration.ofSeconds(30));
      fake.awaitCalls("sendMessage", 3, Duration.ofSeconds(30));
      output = bot.output() + bot.errors();
    }

    assertTrue(output.contains("diary entry: dear diary\\n" + FORGED), "the entry on one line, its LF escaped:\n" + output);
    assertTrue(output.contains("diary entry: crlf\\r\\n" + FORGED), "CR and LF escaped:\n" + output);
    for (String line : output.split("\n")) {
      assertFalse(line.startsWith(FORGED), "a forged line: " + line);
      assertFalse(line.contains("\r"), "a carriage return in: " + line);
    }
    assertTrue(output.contains("-> http://***@127.0.0.1:"), "the legacy bot is named at start, masked:\n" + output);
    for (String secret : List.of("hunter2-userinfo", "legacy-s3cr3t", "legacy-t0ken", TestEnv.TOKEN.split(":")[1],
        "abc.def-42", TestEnv.WEBHOOK_SECRET)) {
      assertFalse(output.contains(secret), "'" + secret + "' reached the log:\n" + output);
    }
  }
}
