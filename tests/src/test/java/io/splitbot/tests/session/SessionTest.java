package io.splitbot.tests.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.tests.storage.AirtableEnv;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.LogCapture;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sessions on each backend they live in (the JSON files, PostgreSQL, Airtable, Redis), through the real worker: a handler's
 * session changes are kept only when it succeeds, they survive a restart, and two workers on one store share them.
 */
class SessionTest {
  private static final long CHAT = 4242;
  /** How many of the next attempts of /add fail after changing the session. */
  private static final AtomicInteger failuresLeft = new AtomicInteger();

  /** /add counts in the session and answers the count; an attempt told to fail throws after changing it. */
  private static final BotModule COUNTING = context -> new Bot().command("add", ctx -> {
    int n = ctx.session().getInteger("count", 0) + 1;
    ctx.session().put("count", n);
    if (failuresLeft.getAndDecrement() > 0) {
      throw new IllegalStateException("failing on purpose");
    }
    return ctx.reply("count=" + n);
  });

  private final AtomicLong updateIds = new AtomicLong(1);
  private Vertx fakeVertx;
  private FakeTelegramApi fake;

  @BeforeEach
  void start() {
    failuresLeft.set(0);
    fakeVertx = Vertx.vertx();
    fake = new FakeTelegramApi(fakeVertx, TestEnv.TOKEN);
    fake.start().await();
  }

  @AfterEach
  void stop() {
    fakeVertx.close().await();
  }

  private Map<String, String> env(Path dir, Map<String, String> backend) {
    Map<String, String> env = new HashMap<>(TestEnv.webhookEnv(fake.baseUrl(), dir));
    env.putAll(backend);
    return env;
  }

  private final class Worker implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final SplitbotApp app;
    final WebhookDeliverer telegram;

    Worker(Map<String, String> env) {
      app = SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), COUNTING).await();
      telegram = WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET);
    }

    /** Sends /add and returns the reply it got, once the worker has handled it (its session is saved by then). */
    String add() throws Exception {
      int before = fake.calls("sendMessage").size();
      long handled = app.worker().stats().handled.get();
      telegram.deliver(Updates.message(updateIds.getAndIncrement(), CHAT, "/add"), System.nanoTime() + Duration.ofSeconds(30).toNanos());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (app.worker().stats().handled.get() == handled) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the worker did not handle /add within 30 s");
        }
        LockSupport.parkNanos(10_000_000);
      }
      return fake.calls("sendMessage").get(before).params().getString("text");
    }

    @Override
    public void close() {
      vertx.close().await();
    }
  }

  /** Fails twice, then succeeds; then goes on, and again after a restart on the same store. */
  private void countsOnlyWhatSucceeded(Map<String, String> env) throws Exception {
    try (Worker worker = new Worker(env)) {
      failuresLeft.set(2);
      assertEquals("count=1", worker.add(), "the two failed attempts left nothing in the session");
      assertEquals(1, fake.calls("sendMessage").size(), "one reply: the failed attempts sent nothing");
      assertEquals("count=2", worker.add());
    }
    try (Worker restarted = new Worker(env)) {
      assertEquals("count=3", restarted.add(), "the session outlived the worker");
    }
  }

  @Test
  void jsonStore(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    countsOnlyWhatSucceeded(env(dir, Map.of()));
  }

  @Test
  void postgresql(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    String db = PgDatabases.create("sessions");
    try {
      Map<String, String> backend = Map.of("DATABASE_URL", PgDatabases.url(db));
      countsOnlyWhatSucceeded(env(dir.resolve("a"), backend));
      twoWorkersShareTheSession(env(dir.resolve("b"), backend), env(dir.resolve("c"), backend), 4);
    } finally {
      PgDatabases.drop(db);
    }
  }

  @Test
  void redis(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    try (RedisServerProcess redis = new RedisServerProcess(Files.createDirectories(dir.resolve("redis"))).start()) {
      Map<String, String> backend = Map.of("REDIS_URL", redis.url());
      countsOnlyWhatSucceeded(env(dir.resolve("a"), backend));
      twoWorkersShareTheSession(env(dir.resolve("b"), backend), env(dir.resolve("c"), backend), 4);
    }
  }

  @Test
  void airtable(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    FakeAirtableApi airtable = FakeAirtableApi.start(fakeVertx, AirtableEnv.TABLES).await();
    Map<String, String> backend = AirtableEnv.env(airtable); // the fake holds the client to Airtable's 5 requests/s
    try (LogCapture logs = LogCapture.attach()) {
      countsOnlyWhatSucceeded(env(dir, backend));
      assertTrue(logs.all().contains("sessions are kept in Airtable, one read per update"), "the worker says to add Redis");
    }
  }

  /** Two workers (each with its own edge) on one store take turns with the chat: the count goes on across them. */
  private void twoWorkersShareTheSession(Map<String, String> first, Map<String, String> second, int next) throws Exception {
    try (Worker a = new Worker(first); Worker b = new Worker(second)) {
      List<Worker> turns = List.of(a, b, a, b);
      for (int i = 0; i < turns.size(); i++) {
        assertEquals("count=" + (next + i), turns.get(i).add(), "turn " + i);
      }
    }
  }
}
