package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.ClusterEnv;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * SPOOL=redis on a Redis without an append-only file, whose restart drops every acked update: the edge refuses to
 * start with one line that names the risk, unless SPOOL_REDIS_VOLATILE=true says the operator accepts it.
 */
@ExtendWith(VertxExtension.class)
class VolatileRedisStartupTest {
  private final Path dir = TestEnv.tempDir("volatile-redis");

  @Test
  void theEdgeRefusesAVolatileRedisWithOneLine() throws Exception {
    try (RedisServerProcess redis = new RedisServerProcess(dir, RedisServerProcess.VOLATILE).start()) {
      Map<String, String> env = ClusterEnv.create("http://127.0.0.1:9", dir).edge();
      env.put("SPOOL", "redis");
      env.put("REDIS_URL", redis.url());
      try (JvmProcess edge = JvmProcess.start("edge-volatile", JvmProcess.edgeJar(), env, dir)) {
        int code = edge.waitForExit(Duration.ofSeconds(90));
        String output = edge.output();
        assertNotEquals(0, code, output);
        List<String> lines = output.lines().filter(line -> line.contains("appendonly no")).toList();
        assertEquals(1, lines.size(), output);
        assertTrue(lines.get(0).contains("edge failed to start") && lines.get(0).contains("a Redis restart would lose every acked update")
            && lines.get(0).contains("SPOOL_REDIS_VOLATILE=true"), lines.get(0));
        assertFalse(output.contains("\tat io.splitbot"), "no stack trace: " + output);
      }
    }
  }

  @Test
  void withSpoolRedisVolatileTheBotStartsSaysWhatItRisksAndAnswers(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    try (RedisServerProcess redis = new RedisServerProcess(dir, RedisServerProcess.VOLATILE).start()) {
      Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
      env.put("SPOOL", "redis");
      env.put("REDIS_URL", redis.url());
      env.put("SPOOL_REDIS_VOLATILE", "true");
      try (JvmProcess bot = JvmProcess.start("bot-volatile", JvmProcess.workerJar(), env, dir)) {
        int port = Integer.parseInt(env.get("PORT"));
        bot.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(30));
        assertTrue(bot.output().contains("SPOOL_REDIS_VOLATILE=true: Redis at REDIS_URL has no append-only file,"
            + " so a Redis restart loses every acked update not yet delivered"), bot.output());
        assertFalse(bot.output().contains(redis.url()), "no host in the logs: " + bot.output());
        WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET).deliverAll(List.of(Updates.message(700_001, 42, "hi")), Duration.ofSeconds(30));
        fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(30));
      }
    } finally {
      fake.stop().await();
    }
  }
}
