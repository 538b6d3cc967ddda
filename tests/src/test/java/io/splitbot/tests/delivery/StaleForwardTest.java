package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.bus.BusMessages;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A forward from an edge that lost its spool partition (its epoch is older than the partition's in Redis) is refused
 * by the worker with "not yours" and not run; the holder's forward, with the current epoch, runs.
 */
class StaleForwardTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aForwardUnderAnOlderEpochIsRefusedAsNotYoursAndTheHoldersRuns() throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    AtomicInteger runs = new AtomicInteger();
    BotModule module = context -> new Bot().text(ctx -> {
      runs.incrementAndGet();
      return ctx.reply("ran");
    });
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("stale-forward"));
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), module).await();
    // A partition number no edge uses, on the shared Redis: another edge took it twice since epoch 1.
    int partition = 100_000 + ThreadLocalRandom.current().nextInt(1_000_000);
    String epochKey = SpoolFence.epochKey(SpoolFence.KEY_PREFIX, partition);
    RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:6379"));
    redis.set(List.of(epochKey, "3")).await();
    try {
      long updateId = 810_000_000L + System.nanoTime() % 100_000_000L; // the shared Redis outlives this test
      JsonObject body = new UpdateEnvelope(UpdateEnvelope.TELEGRAM, Long.toString(updateId), "8800002", updateId,
          Updates.message(updateId, 8_800_002, "hello").encode()).toJson();

      Throwable outcome = vertx.eventBus()
          .request(Addresses.WORKER_UPDATES, body, new SpoolFence(partition, 1).addTo(new DeliveryOptions()))
          .map(reply -> (Throwable) null).otherwise(e -> e).await();
      assertTrue(outcome instanceof ReplyException refused && refused.failureCode() == HandleReply.NOT_YOURS,
          "refused as not yours: " + outcome);
      assertEquals(0, runs.get(), "the stale forward ran nothing");

      Object handled = vertx.eventBus()
          .request(Addresses.WORKER_UPDATES, body, new SpoolFence(partition, 3).addTo(new DeliveryOptions()))
          .await().body();
      assertEquals(HandleReply.HANDLED, BusMessages.reply(handled));
      assertEquals(1, runs.get());
      assertTrue(fake.calls("sendMessage").stream().anyMatch(c -> "ran".equals(c.params().getString("text"))));
    } finally {
      redis.del(List.of(epochKey)).await();
    }
  }
}
