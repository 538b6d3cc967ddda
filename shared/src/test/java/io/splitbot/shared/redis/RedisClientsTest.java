package io.splitbot.shared.redis;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.retry.RetryLater;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A blackholed Redis: a port whose connections the kernel accepts and nobody ever reads or answers. */
@ExtendWith(VertxExtension.class)
class RedisClientsTest {

  @Test
  void everyCommandFailsWithATimeoutInsteadOfHanging(Vertx vertx) throws Exception {
    try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Redis redis = RedisClients.create(vertx, new SplitbotConfig.Redis("redis://:hunter2@127.0.0.1:" + blackhole.getLocalPort(), 300));
      try {
        Throwable sent = failure(redis.send(Request.cmd(Command.PING)));
        assertInstanceOf(RedisUnavailableException.class, sent);
        assertInstanceOf(TimeoutException.class, sent.getCause());
        assertTrue(RetryLater.in(sent), "an outage: the update is tried again later");
        assertTrue(sent.getMessage().contains("PING") && sent.getMessage().contains("300 ms"), sent.getMessage());
        assertTrue(!sent.getMessage().contains("hunter2") && !sent.getMessage().contains("127.0.0.1"), sent.getMessage());

        assertInstanceOf(RedisUnavailableException.class, failure(redis.batch(List.of(Request.cmd(Command.INCR).arg("a"), Request.cmd(Command.PING)))));
        // The stores use RedisAPI over this client: they get the same timeout.
        assertInstanceOf(RedisUnavailableException.class, failure(RedisAPI.api(redis).set(List.of("k", "v", "NX", "EX", "60"))));
        assertInstanceOf(RedisUnavailableException.class, failure(redis.connect()));
      } finally {
        redis.close();
      }
    }
  }

  /** The failure of {@code future}; it must come well within the test's own bound, not never. */
  private static Throwable failure(Future<?> future) throws Exception {
    try {
      Object result = future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + result);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }
}
