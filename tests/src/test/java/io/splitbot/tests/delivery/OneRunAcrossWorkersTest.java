package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two workers sharing Redis get the same update while the first still runs it (an edge's retry reaching another
 * worker): the second finds it claimed and answers "retry later", and once the first is done it is a duplicate.
 * The handler runs once and the user gets one reply.
 */
class OneRunAcrossWorkersTest {
  private final Vertx first = Vertx.vertx();
  private final Vertx second = Vertx.vertx();
  private final Vertx fakes = Vertx.vertx();

  @AfterEach
  void stop() {
    first.close().await();
    second.close().await();
    fakes.close().await();
  }

  @Test
  void anUpdateRunningOnOneWorkerIsNotRunOnAnother() throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(fakes, TestEnv.TOKEN);
    fake.start().await();
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<Promise<Void>> gate = new AtomicReference<>();
    BotModule module = context -> new Bot().text(ctx -> {
      runs.incrementAndGet();
      Promise<Void> wait = Promise.promise();
      gate.compareAndSet(null, wait);
      return wait.future().compose(v -> ctx.reply("done once"));
    });
    SplitbotApp a = SplitbotApp.deploy(first, WorkerConfig.fromEnv(env(fake, "a")), module).await();
    Map<String, String> envB = env(fake, "b");
    SplitbotApp b = SplitbotApp.deploy(second, WorkerConfig.fromEnv(envB), module).await();

    long updateId = 800_000_000L + System.nanoTime() % 100_000_000L; // the shared Redis outlives this test
    long chat = 8_800_001;
    JsonObject update = Updates.message(updateId, chat, "slow");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    WebhookDeliverer.telegram(a.edge().actualPort(), TestEnv.WEBHOOK_SECRET).deliver(update, deadline);
    waitFor(() -> gate.get() != null, "the first worker runs the update");

    WebhookDeliverer.telegram(b.edge().actualPort(), TestEnv.WEBHOOK_SECRET).deliver(update, deadline);
    waitFor(() -> b.worker().stats().received.get() >= 1, "the second worker was asked to run it too");
    assertEquals(1, runs.get(), "the second worker found it claimed and did not run it");

    first.runOnContext(v -> gate.get().complete());
    waitFor(() -> a.edge().spool().size() == 0 && b.edge().spool().size() == 0, "both edges are answered");
    assertEquals(1, runs.get(), "the handler ran once");
    assertEquals(1, fake.calls("sendMessage").stream()
        .filter(c -> String.valueOf(chat).equals(String.valueOf(c.params().getValue("chat_id")))).count(), "one reply");
    assertTrue(b.worker().stats().duplicates.get() >= 1, "the second worker found it handled in the end");
    JsonObject seenByB = new JsonObject(Http.get(Integer.parseInt(envB.get("WORKER_PORT")), "/monitoring/webhook/stats").body())
        .getJsonObject("platforms").getJsonObject("telegram").getJsonObject("totals");
    assertTrue(seenByB.getLong("joined") >= 1, "the copy it found running elsewhere joined that run: " + seenByB);
    assertEquals(0, seenByB.getLong("retry_later"), "and is no error in the monitoring: " + seenByB);
  }

  private static Map<String, String> env(FakeTelegramApi fake, String name) {
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("one-run-" + name));
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    return env;
  }

  private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(20);
    }
  }
}
