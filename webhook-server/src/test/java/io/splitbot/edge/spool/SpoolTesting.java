package io.splitbot.edge.spool;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Command;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.function.BooleanSupplier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/** Small helpers shared by the spool tests. */
final class SpoolTesting {

  private SpoolTesting() {
  }

  static UpdateEnvelope update(long id) {
    String raw = "{\"update_id\":" + id + ",\"message\":{\"chat\":{\"id\":" + (id % 3) + "},\"text\":\"hello \\\"" + id + "\\\"\"}}";
    return new UpdateEnvelope(UpdateEnvelope.TELEGRAM, Long.toString(id), "telegram:" + (id % 3), id, raw);
  }

  /** An update of chat {@code chat}. */
  static UpdateEnvelope update(long id, String chat) {
    String raw = "{\"update_id\":" + id + ",\"message\":{\"chat\":{\"id\":" + chat + "},\"text\":\"hi\"}}";
    return new UpdateEnvelope(UpdateEnvelope.TELEGRAM, Long.toString(id), chat, id, raw);
  }

  /** Opens the spool and answers what it fed by the time it opened: for a file spool, all it held from before. */
  static List<UpdateEnvelope> open(Spool spool) throws Throwable {
    Fed fed = new Fed();
    await(spool.open(fed));
    return fed.updates();
  }

  /** Waits (up to 30 s) for a condition that other threads make true; never a fixed sleep. */
  static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * An edge's configuration for a Redis spool at {@code url}, from {@code settings} (variable, value, …) over the
   * defaults. The shared Redis on 6379 runs without AOF, so SPOOL_REDIS_VOLATILE=true unless a test says otherwise.
   */
  static SplitbotConfig redisConfig(String url, String... settings) {
    Map<String, String> env = new HashMap<>(Map.of("SPOOL", "redis", "REDIS_URL", url, "WEBHOOK_ALLOW_UNAUTHENTICATED", "true",
        "SPOOL_REDIS_VOLATILE", "true"));
    for (int i = 0; i + 1 < settings.length; i += 2) {
      env.put(settings[i], settings[i + 1]);
    }
    return SplitbotConfig.fromEnv(env, Role.EDGE);
  }

  /** Deletes every key under {@code prefix} (a test's own). */
  static void deleteKeys(Vertx vertx, String url, String prefix) throws Throwable {
    Redis redis = Redis.createClient(vertx, url);
    try {
      Response keys = await(redis.send(Request.cmd(Command.KEYS).arg(prefix + ":*")));
      for (Response key : keys) {
        await(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
      }
    } finally {
      await(redis.close());
    }
  }

  /** Every update a Redis spool holds, read from its partitions' streams, in update order. */
  static List<UpdateEnvelope> held(Vertx vertx, String url, String prefix, int partitions) throws Throwable {
    Redis redis = Redis.createClient(vertx, url);
    try {
      List<UpdateEnvelope> held = new ArrayList<>();
      for (int n = 0; n < partitions; n++) {
        Response entries = await(redis.send(Request.cmd(Command.XRANGE)
            .arg(prefix + ":p" + n + ":stream").arg("-").arg("+")));
        for (Response entry : entries) {
          held.add(UpdateEnvelope.fromJson(new JsonObject(RedisReplies.field(entry.get(1), "env"))));
        }
      }
      held.sort(UpdateEnvelope.ORDER);
      return held;
    } finally {
      await(redis.close());
    }
  }

  static List<Long> ids(List<UpdateEnvelope> updates) {
    return updates.stream().map(UpdateEnvelope::order).toList();
  }

  /** Waits for a future from the test thread; the failure comes back as thrown. */
  static <T> T await(Future<T> future) throws Throwable {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("future did not complete within 10 s", e);
    }
  }

  static Throwable failure(Future<?> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /** Captures what one class logs, for asserting on WARN/ERROR lines. */
  static final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> source) {
      logger = (Logger) LoggerFactory.getLogger(source);
      appender.start();
      logger.addAppender(appender);
    }

    List<String> lines(Level level) {
      return appender.list.stream()
          .filter(event -> event.getLevel() == level)
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
