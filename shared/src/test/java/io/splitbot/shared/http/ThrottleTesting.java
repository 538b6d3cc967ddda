package io.splitbot.shared.http;

import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the throttle tests share: the real Redis, waiting on futures and conditions, and counting sends in a window. */
final class ThrottleTesting {
  static final String REDIS_URL = "redis://127.0.0.1:6379";

  private ThrottleTesting() {
  }

  static Redis redis(Vertx vertx, String url, long commandTimeoutMs) {
    return io.splitbot.shared.redis.RedisClients.create(vertx, new SplitbotConfig.Redis(url, commandTimeoutMs));
  }

  /** What a sender does: asks until the throttle gives a permit, waiting as long as it says each time. */
  static Future<Void> permitted(OutgoingThrottle throttle, String chat) {
    return throttle.ask(chat).compose(answer -> answer.go()
        ? Future.succeededFuture()
        : Future.fromCompletionStage(java.util.concurrent.CompletableFuture.runAsync(() -> { },
                java.util.concurrent.CompletableFuture.delayedExecutor(answer.waitMs(), java.util.concurrent.TimeUnit.MILLISECONDS)))
            .compose(v -> permitted(throttle, chat)));
  }

  static <T> T await(Future<T> future, int seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  /** Looks again every 20 ms until {@code condition} holds; fails with {@code failure}'s text after {@code seconds}. */
  static void until(BooleanSupplier condition, int seconds, Supplier<String> failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** The most of {@code times} (System.nanoTime(), any order) that fall in one window [t, t + 1 s) starting at one of them. */
  static int mostInOneSecond(List<Long> times) {
    List<Long> sorted = times.stream().sorted().toList();
    long second = TimeUnit.SECONDS.toNanos(1);
    int most = 0;
    int end = 0;
    for (int start = 0; start < sorted.size(); start++) {
      while (end < sorted.size() && sorted.get(end) - sorted.get(start) < second) {
        end++;
      }
      most = Math.max(most, end - start);
    }
    return most;
  }
}
