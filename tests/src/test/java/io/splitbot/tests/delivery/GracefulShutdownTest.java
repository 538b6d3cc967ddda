package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** SIGTERM: new updates get 503 (Telegram redelivers them), the update in flight still gets its reply. */
@ExtendWith(VertxExtension.class)
class GracefulShutdownTest {

  @Test
  void sigtermFinishesWorkInFlightAndRefusesNewUpdates(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("shutdown");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
    int port = Integer.parseInt(env.get("PORT"));
    WebhookDeliverer telegram = WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET);

    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(30));
      // The reply to the first update waits 2 s on a 429, so it is in flight when SIGTERM lands.
      fake.injectRateLimit("sendMessage", 1, 2);
      telegram.deliverAll(List.of(Updates.message(1, 501, "/echo in flight")), Duration.ofSeconds(10));
      Thread.sleep(300);

      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
        try {
          return bot.terminate(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(300);
      HttpResponse<String> refused = telegram.post(Updates.message(2, 502, "/echo too late").encode(), "application/json", TestEnv.WEBHOOK_SECRET);
      assertEquals(503, refused.statusCode(), refused.body());
      assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "503 carries Retry-After");

      int code = exit.get();
      assertTrue(code == 0 || code == 143, "stopped by itself after SIGTERM, exit code " + code);
      assertEquals(List.of("in flight"), texts(fake), "the update in flight was answered before the process stopped");
    }

    // Telegram redelivers the refused update to the restarted bot; nothing is answered twice.
    try (JvmProcess bot = JvmProcess.start("bot-again", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(30));
      telegram.deliverAll(List.of(Updates.message(2, 502, "/echo too late")), Duration.ofSeconds(10));
      fake.awaitCalls("sendMessage", 2, Duration.ofSeconds(10));
      Thread.sleep(500);
      assertEquals(List.of("in flight", "too late"), texts(fake));
    }
  }

  private static List<String> texts(FakeTelegramApi fake) {
    return fake.calls("sendMessage").stream().map(c -> c.params().getString("text")).toList();
  }
}
