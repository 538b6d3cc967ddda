package io.splitbot.worker.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** HEALTH_CHECK_INTERVAL's background check logs each change of a service's state once, and nothing while it holds. */
class ServiceWatchTest {
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private Vertx vertx;

  @BeforeEach
  void listen() {
    vertx = Vertx.vertx();
    logged.start();
    ((Logger) LoggerFactory.getLogger(ServiceWatch.class)).addAppender(logged);
  }

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(ServiceWatch.class)).detachAppender(logged);
    vertx.close().await();
  }

  private static JsonObject status(String status) {
    JsonObject out = new JsonObject().put("status", status);
    return "DOWN".equals(status) ? out.put("reason", ServiceProbes.REDIS_DOWN) : out;
  }

  private List<String> lines() {
    return logged.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void aChangeOfStateIsLoggedOnceDownThenUp() {
    AtomicReference<String> redis = new AtomicReference<>("UP");
    Map<String, Supplier<Future<JsonObject>>> services = new LinkedHashMap<>();
    services.put("redis", () -> Future.succeededFuture(status(redis.get())));
    services.put("storage", () -> Future.succeededFuture(status("UP")));
    services.put("cache", () -> Future.succeededFuture(status("NOT_CONFIGURED")));
    ServiceWatch watch = new ServiceWatch(vertx, services, 60_000);

    watch.check().await();
    assertEquals(List.of(), lines(), "all up: nothing to say");
    redis.set("DOWN");
    watch.check().await();
    watch.check().await();
    watch.check().await();
    assertEquals(List.of("WARN service check: redis is down: " + ServiceProbes.REDIS_DOWN), lines(), "down, once");
    redis.set("UP");
    watch.check().await();
    watch.check().await();
    assertEquals(List.of("WARN service check: redis is down: " + ServiceProbes.REDIS_DOWN,
        "INFO service check: redis is up again"), lines());
  }

  @Test
  void aServiceDownAtTheFirstCheckIsLoggedThen() {
    ServiceWatch watch = new ServiceWatch(vertx, Map.of("storage", () -> Future.succeededFuture(status("DOWN"))), 60_000);
    watch.check().await();
    assertEquals(1, lines().size(), lines().toString());
  }

  @Test
  void theTimerRunsTheCheckEveryPeriod() {
    AtomicReference<String> redis = new AtomicReference<>("DOWN");
    java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
    ServiceWatch watch = new ServiceWatch(vertx, Map.of("redis", () -> {
      rounds.incrementAndGet();
      return Future.succeededFuture(status(redis.get()));
    }), 20);
    watch.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (rounds.get() < 5 && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // a timer on another thread: look again shortly
    }
    watch.stop();
    assertEquals(true, rounds.get() >= 5, "rounds: " + rounds.get());
    assertEquals(List.of("WARN service check: redis is down: " + ServiceProbes.REDIS_DOWN), lines(), "five rounds, one line");
  }
}
