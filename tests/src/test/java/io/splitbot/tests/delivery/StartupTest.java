package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-up as an operator sees it: a wrong value stops the process with one line naming the variable. */
class StartupTest {
  private final Path dir = TestEnv.tempDir("startup");

  @Test
  void nonNumericPortStopsTheEdgeWithOneLineNamingPort() throws Exception {
    Map<String, String> env = TestEnv.webhookEnv("http://127.0.0.1:9", dir);
    env.put("PORT", "eighty");
    assertConfigError(JvmProcess.start("edge-bad-port", JvmProcess.edgeJar(), env, dir), "PORT");
  }

  @Test
  void webhookModeWithoutSecretStopsStartUp() throws Exception {
    Map<String, String> env = TestEnv.webhookEnv("http://127.0.0.1:9", dir);
    env.remove("TELEGRAM_WEBHOOK_SECRET");
    assertConfigError(JvmProcess.start("edge-no-secret", JvmProcess.edgeJar(), env, dir), "TELEGRAM_WEBHOOK_SECRET");
    env.put("BOT_ROLE", "all");
    assertConfigError(JvmProcess.start("all-no-secret", JvmProcess.workerJar(), env, dir), "TELEGRAM_WEBHOOK_SECRET");
  }

  @Test
  void badRoleAndBadNumbersNameTheirVariable() throws Exception {
    Map<String, String> env = TestEnv.webhookEnv("http://127.0.0.1:9", dir);
    env.put("BOT_ROLE", "both");
    assertConfigError(JvmProcess.start("bad-role", JvmProcess.workerJar(), env, dir), "BOT_ROLE");
    env.put("BOT_ROLE", "worker");
    env.put("WORKER_CONCURRENCY", "-1");
    assertConfigError(JvmProcess.start("bad-concurrency", JvmProcess.workerJar(), env, dir), "WORKER_CONCURRENCY");
    env.remove("WORKER_CONCURRENCY");
    env.put("PROFILE_QUALITY_ALERT_THRESHOLD", "80%");
    assertConfigError(JvmProcess.start("bad-threshold", JvmProcess.workerJar(), env, dir), "PROFILE_QUALITY_ALERT_THRESHOLD");
  }

  @Test
  void withoutATokenTheWorkerServesHealthAndSaysWhatToSet() throws Exception {
    Map<String, String> env = TestEnv.webhookEnv("http://127.0.0.1:9", dir);
    env.remove("TELEGRAM_BOT_TOKEN");
    env.put("TELEGRAM_MODE", "polling");
    try (JvmProcess p = JvmProcess.start("no-token", JvmProcess.workerJar(), env, dir)) {
      p.awaitHttp("http://127.0.0.1:" + env.get("WORKER_PORT") + "/health/live", 200, Duration.ofSeconds(30));
      p.awaitHttp("http://127.0.0.1:" + env.get("PORT") + "/health/live", 200, Duration.ofSeconds(10));
      assertTrue(p.output().contains("neither TELEGRAM_BOT_TOKEN nor MAX_BOT_TOKEN is set"), p.output());
      assertTrue(p.output().contains("TELEGRAM_BOT_TOKEN=<token> java -jar bot-worker.jar"), p.output());
      assertTrue(p.output().contains("java -jar bot-worker.jar sandbox"), "the offline sandbox is suggested: " + p.output());
    }
  }

  private static void assertConfigError(JvmProcess process, String variable) throws Exception {
    int code = process.waitForExit(Duration.ofSeconds(30));
    String output = process.output();
    assertEquals(2, code, output);
    String line = output.lines().filter(l -> l.contains("configuration error")).findFirst().orElse("");
    assertTrue(line.contains(variable), "the error names " + variable + ": " + output);
    assertFalse(output.contains("Exception") || output.contains("\tat "), "no stack trace: " + output);
  }
}
