package io.splitbot.tests.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three workers share one outgoing budget: replying to 200 chats at once, they never put more than the configured
 * global rate into any one-second window at the Bot API, as one worker alone would not.
 */
@ExtendWith(VertxExtension.class)
class ThreeWorkersThrottleTest {
  private static final int GLOBAL_RATE = 20;

  @Test
  void threeWorkersReplyingTo200ChatsStayWithinTheGlobalRateInEverySecond(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    ScaleCluster.flushRedis(vertx);
    Path dir = TestEnv.tempDir("shared-throttle");
    List<JsonObject> updates = Updates.echoes(4_000_000, 200, 200, 40_000_000);
    try (ScaleCluster cluster = new ScaleCluster(fake.baseUrl(), dir, 1, 3,
        env -> env.put("TELEGRAM_GLOBAL_RATE", String.valueOf(GLOBAL_RATE))).start()) {
      new EdgesDeliverer(cluster.edgePorts()).deliverAll(updates, Duration.ofSeconds(60));
      fake.await(() -> ReplyCheck.of(fake, updates).lost().isEmpty(), Duration.ofSeconds(120),
          () -> "replies: " + ReplyCheck.of(fake, updates));

      List<Long> sent = fake.calls("sendMessage").stream().map(FakeTelegramApi.RecordedCall::atNanos).sorted().toList();
      int busiest = busiestSecond(sent);
      double seconds = (sent.get(sent.size() - 1) - sent.get(0)) / 1e9;
      System.out.printf("[throttle] %d replies from 3 workers in %.1f s; the busiest 1 s window held %d (limit %d)%n",
          sent.size(), seconds, busiest, GLOBAL_RATE);
      StringBuilder tenths = new StringBuilder();
      long first = sent.get(0);
      int[] per = new int[(int) ((sent.get(sent.size() - 1) - first) / 100_000_000L) + 1];
      sent.forEach(t -> per[(int) ((t - first) / 100_000_000L)]++);
      for (int n : per) {
        tenths.append(n).append(' ');
      }
      System.out.println("[throttle] replies per 100 ms: " + tenths);
      assertEquals(200, sent.size(), "one reply per chat");
      assertTrue(busiest <= GLOBAL_RATE, "no second holds more than " + GLOBAL_RATE + " replies, the busiest held " + busiest);
    }
  }

  /** The most calls in any window [t, t + 1 s) that starts at a call. */
  static int busiestSecond(List<Long> sortedNanos) {
    int most = 0;
    int end = 0;
    for (int start = 0; start < sortedNanos.size(); start++) {
      while (end < sortedNanos.size() && sortedNanos.get(end) - sortedNanos.get(start) < 1_000_000_000L) {
        end++;
      }
      most = Math.max(most, end - start);
    }
    return most;
  }
}
