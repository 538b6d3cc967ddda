package io.splitbot.tests.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.support.HttpClients;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.ProcFs;
import io.splitbot.tests.support.Replies;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A slow worker and a small SPOOL_MAX_UPDATES: the edge sheds load with 503 instead of growing. */
@ExtendWith(VertxExtension.class)
class FullSpoolTest {

  @Test
  void aFullSpoolAnswers503WithRetryAfterStaysBoundedAndLosesNothingAcked(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("full-spool");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
    env.put("SPOOL_MAX_UPDATES", "40");
    env.put("TELEGRAM_GLOBAL_RATE", "60"); // the worker answers 60 updates/s; Telegram sends faster
    List<JsonObject> updates = Updates.echoes(500_000, 600, 60, 15_000_000);

    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      int port = Integer.parseInt(env.get("PORT"));
      String ready = "http://127.0.0.1:" + port + "/health/ready";
      bot.awaitHttp(ready, 200, Duration.ofSeconds(30));

      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger maxDepth = new AtomicInteger();
      AtomicLong maxRss = new AtomicLong();
      AtomicLong firstRss = new AtomicLong();
      CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> sample(ready, bot.pid(), running, maxDepth, firstRss, maxRss));

      WebhookDeliverer telegram = WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET);
      telegram.deliverAll(updates, Duration.ofSeconds(120));
      fake.awaitCalls("sendMessage", 600, Duration.ofSeconds(60));
      running.set(false);
      sampler.get();
      Thread.sleep(500);

      System.out.printf("[full-spool] 503+Retry-After answers: %d, max spool depth: %d/40, RSS first %d MB, max %d MB%n",
          telegram.retryLater.get(), maxDepth.get(), firstRss.get() / 1024, maxRss.get() / 1024);
      assertTrue(telegram.retryLater.get() > 0, "a full spool answers 503 with Retry-After");
      assertTrue(maxDepth.get() <= 40, "the spool never holds more than SPOOL_MAX_UPDATES: " + maxDepth.get());
      assertTrue(maxRss.get() - firstRss.get() < 96 * 1024,
          "memory stays flat while Telegram is held back: " + firstRss.get() / 1024 + " → " + maxRss.get() / 1024 + " MB");
      assertEquals(600, telegram.acked.size());
      Replies.assertExactlyOnceInOrder(fake, updates);
    }
  }

  private static void sample(String readyUrl, long pid, AtomicBoolean running, AtomicInteger maxDepth, AtomicLong firstRss, AtomicLong maxRss) {
    HttpClient http = HttpClients.http1(Duration.ofSeconds(2));
    while (running.get()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(readyUrl)).build(), HttpResponse.BodyHandlers.ofString());
        for (Object check : new JsonObject(r.body()).getJsonArray("checks")) {
          JsonObject c = (JsonObject) check;
          if ("spool".equals(c.getString("id"))) {
            maxDepth.accumulateAndGet(c.getJsonObject("data").getInteger("depth"), Math::max);
          }
        }
        long rss = ProcFs.rssKb(pid);
        firstRss.compareAndSet(0, rss);
        maxRss.accumulateAndGet(rss, Math::max);
        Thread.sleep(100);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
