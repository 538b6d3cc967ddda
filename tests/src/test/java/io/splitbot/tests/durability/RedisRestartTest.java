package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.Replies;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SPOOL=redis: Redis stops and comes back mid-stream; the edge answers 503 meanwhile, never a false 200. */
@ExtendWith(VertxExtension.class)
class RedisRestartTest {

  @Test
  void noUpdateThatGotA200IsLostWhenRedisRestarts(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("redis-restart");
    List<JsonObject> updates = Updates.echoes(400_000, 2000, 50, 14_000_000);

    try (RedisServerProcess redis = new RedisServerProcess(dir).start()) {
      Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
      env.put("SPOOL", "redis");
      env.put("REDIS_URL", redis.url());
      env.put("TELEGRAM_GLOBAL_RATE", "300");
      try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
        int port = Integer.parseInt(env.get("PORT"));
        bot.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(30));
        // The edge read the server's persistence at start, and this Redis loses nothing acked.
        assertTrue(bot.output().contains("appendonly yes, appendfsync always: an acked update survives a restart"), bot.output());
        WebhookDeliverer telegram = WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET);
        telegram.deliverAll(updates.subList(0, 1000), Duration.ofSeconds(60));
        while (fake.calls("sendMessage").size() < 500) {
          Thread.sleep(10);
        }
        // Redis dies with half the stream acked and half of that still unhandled; Telegram keeps sending.
        redis.kill();
        CompletableFuture<Void> delivering = CompletableFuture.runAsync(() -> {
          try {
            telegram.deliverAll(updates.subList(1000, 2000), Duration.ofSeconds(180));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        Thread.sleep(3000);
        int ackedDuringOutage = telegram.acked.size() - 1000;
        redis.start(); // same port, same append-only file

        delivering.get();
        fake.awaitCalls("sendMessage", 2000, Duration.ofSeconds(120));
        Thread.sleep(1000);
        System.out.println("[redis-restart] acked during the 3 s outage: " + ackedDuringOutage
            + ", 503 answers: " + telegram.retryLater.get());
        assertTrue(telegram.retryLater.get() > 0, "the edge answered 503 while Redis was down");
        assertTrue(ackedDuringOutage < 50, "hardly anything can be acked while Redis is down: " + ackedDuringOutage);
        assertEquals(2000, telegram.acked.size());
        Replies.assertExactlyOnceInOrder(fake, updates);
      }
    }
  }
}
