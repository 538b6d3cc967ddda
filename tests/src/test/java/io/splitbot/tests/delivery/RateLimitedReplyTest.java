package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.WorkerConfig;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.desk.DeskModule;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A 429 from the Bot API delays the reply by retry_after and never duplicates it. */
@ExtendWith(VertxExtension.class)
class RateLimitedReplyTest {

  @Test
  void replyArrivesOnceAfterRetryAfter(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    WorkerConfig config = WorkerConfig.fromEnv(TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("rate")));
    SplitbotApp app = SplitbotApp.deploy(vertx, config, new DeskModule()).await();
    fake.injectRateLimit("sendMessage", 1, 1);

    WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET)
        .deliverAll(List.of(Updates.message(77, 4242, "/echo after the wait")), Duration.ofSeconds(10));
    fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(10));
    Thread.sleep(1500); // a second copy would arrive by now

    List<FakeTelegramApi.RecordedCall> attempts = fake.allCalls("sendMessage");
    assertEquals(2, attempts.size(), "one 429, then one success: " + attempts);
    assertEquals(429, attempts.get(0).status());
    assertEquals(200, attempts.get(1).status());
    long waitedMs = (attempts.get(1).atNanos() - attempts.get(0).atNanos()) / 1_000_000;
    assertTrue(waitedMs >= 1000, "retried after " + waitedMs + " ms, before retry_after=1 s");
    assertEquals("after the wait", attempts.get(1).params().getString("text"));
  }
}
