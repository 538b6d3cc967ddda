package io.splitbot.tests.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeMaxApi;
import io.splitbot.tests.support.MaxTestUpdates;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MAX long polling for development: the webhook subscription is removed, updates come from GET /updates into the same
 * pipeline, and the marker that commits them is sent only once every update before it is handled, so a crash makes
 * MAX deliver the unfinished ones again.
 */
class MaxPollingTest {
  private Vertx vertx;
  private FakeMaxApi max;
  private final AtomicReference<Promise<Void>> gate = new AtomicReference<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    max = new FakeMaxApi(vertx, MaxDeliveryTest.MAX_TOKEN);
    max.start().await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theMarkerPassesOnlyWhatIsHandled() throws Exception {
    max.subscribe("https://old.example.com/webhook/max");
    BotModule module = context -> new Bot().text(ctx -> {
      if (ctx.text().equals("slow")) {
        Promise<Void> wait = Promise.promise();
        gate.set(wait);
        return wait.future().compose(v -> ctx.reply("slow done"));
      }
      return ctx.reply("echo " + ctx.text());
    });
    Map<String, String> env = Map.of(
        "MAX_BOT_TOKEN", MaxDeliveryTest.MAX_TOKEN,
        "MAX_API_URL", max.baseUrl(),
        "PORT", "0",
        "WORKER_PORT", "0",
        "DATA_DIR", TestEnv.tempDir("max-polling").toString());
    // Queued before the bot starts, so its first poll takes all three as one batch (pushed while it polls, the first
    // could come back alone and be committed, which is right but not what this test looks at).
    List<Long> pushed = new ArrayList<>();
    long t = 1_775_000_000_000L;
    pushed.add(max.pushUpdate(MaxTestUpdates.message(1, 11, "mid.a1", t, "a1")));
    pushed.add(max.pushUpdate(MaxTestUpdates.message(2, 12, "mid.b1", t + 1, "slow")));
    pushed.add(max.pushUpdate(MaxTestUpdates.message(1, 11, "mid.a2", t + 2, "a2")));
    SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), module).await();

    max.awaitSent(2, Duration.ofSeconds(30));
    assertTrue(max.subscriptions().isEmpty(), "the webhook subscription was removed to poll");
    waitFor(() -> gate.get() != null, "the slow update runs");

    // The other chat went on, but the batch holds a slow update: no marker past it has been sent.
    long slow = pushed.get(1);
    assertTrue(max.markersSeen().stream().noneMatch(m -> m != null && m > slow), "markers: " + max.markersSeen());
    assertEquals(3, max.pendingUpdates(), "nothing committed while one is unfinished");

    vertx.runOnContext(v -> gate.get().complete());
    max.awaitSent(3, Duration.ofSeconds(30));
    waitFor(() -> max.pendingUpdates() == 0, "the next poll commits the batch");
    List<String> texts = max.sent().stream().map(m -> m.getJsonObject("body").getString("text")).toList();
    assertEquals(List.of("echo a1", "echo a2", "slow done"), texts);
    assertEquals(3, max.sent().size());
  }

  private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
      Thread.sleep(20);
    }
  }
}
