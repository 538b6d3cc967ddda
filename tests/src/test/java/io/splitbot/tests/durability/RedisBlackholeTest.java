package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worker's Redis (dedup, effect ledger, dead letters) stops answering while updates flow: a frozen redis-server
 * keeps its sockets open and says nothing, as a blackholed one would. Each Redis command fails after
 * REDIS_COMMAND_TIMEOUT_MS, so the worker answers "retry later" instead of hanging, keeps serving, and dead-letters
 * nothing; once Redis answers again every update is answered once, in order.
 */
@ExtendWith(VertxExtension.class)
class RedisBlackholeTest {

  @Test
  void aFrozenRedisPostponesUpdatesAndDeadLettersNone(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("redis-blackhole");
    List<JsonObject> updates = Updates.echoes(500_000, 40, 20, 15_000_000);

    try (RedisServerProcess redis = new RedisServerProcess(dir).start()) {
      Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
      env.put("REDIS_URL", redis.url()); // the worker's stores; the spool stays the file journal
      env.put("REDIS_COMMAND_TIMEOUT_MS", "500");
      // Far beyond the test's waits: only the Redis timeout can make the worker answer while Redis is frozen.
      env.put("FORWARD_TIMEOUT_MS", "300000");
      try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
        int port = Integer.parseInt(env.get("PORT"));
        int workerPort = Integer.parseInt(env.get("WORKER_PORT"));
        bot.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(30));
        WebhookDeliverer telegram = WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET);
        telegram.deliverAll(updates.subList(0, 20), Duration.ofSeconds(60));
        // All of the first half handled and confirmed, so the freeze meets only the second half.
        awaitStats(workerPort, "the first 20 updates confirmed",
            stats -> stats.getJsonObject("totals").getLong("handled", 0L) == 20 && stats.getInteger("spool_depth", -1) == 0,
            Duration.ofSeconds(60));

        redis.freeze();
        try {
          telegram.deliverAll(updates.subList(20, 40), Duration.ofSeconds(60));
          // The worker answered "retry later" long before FORWARD_TIMEOUT_MS.
          awaitStats(workerPort, "a retry while Redis is frozen",
              stats -> stats.getJsonObject("totals").getLong("retried", 0L) > 0, Duration.ofSeconds(60));
          assertEquals(200, Http.get(workerPort, "/health/live").status(), "the worker keeps serving");
          assertEquals(20, fake.calls("sendMessage").size(), "nothing runs while its dedup check cannot be made");
        } finally {
          redis.thaw();
        }

        fake.awaitCalls("sendMessage", 40, Duration.ofSeconds(120));
        Replies.assertExactlyOnceInOrder(fake, updates);
        JsonObject totals = Http.get(workerPort, "/monitoring/webhook/stats").json().getJsonObject("totals");
        assertEquals(0, totals.getLong("dead_lettered"), totals.encodePrettily());
        Redis client = Redis.createClient(vertx, redis.url());
        try {
          assertEquals(0, client.send(Request.cmd(Command.HLEN).arg("splitbot:dead-letters")).await().toInteger());
        } finally {
          client.close();
        }
      }
    } finally {
      fake.stop().await();
    }
  }

  /** Until /monitoring/webhook/stats meets {@code condition}. */
  private static void awaitStats(int workerPort, String what, Predicate<JsonObject> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonObject stats = null;
    while (System.nanoTime() < deadline) {
      stats = Http.get(workerPort, "/monitoring/webhook/stats").json();
      if (condition.test(stats)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no " + what + " within " + timeout + ": " + stats);
  }
}
