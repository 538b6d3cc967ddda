package io.splitbot.tests.desk;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.TelegramDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.desk.DeskModule;
import io.splitbot.worker.storage.Storage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The desk bot under test, in this JVM (edge and worker, webhook mode, the fake Bot API) or driving a worker
 * process: updates are posted to the edge as Telegram would, and each call returns once the worker has handled
 * the update, so a test reads the fake's calls without guessing at timing.
 */
public final class DeskHarness implements AutoCloseable {
  private final FakeTelegramApi fake;
  private final TelegramDeliverer telegram;
  private final LongSupplier handled;
  private final SplitbotApp app;
  private final AtomicLong updateIds = new AtomicLong(1000);
  private final Map<String, String> env;

  private DeskHarness(FakeTelegramApi fake, TelegramDeliverer telegram, LongSupplier handled, SplitbotApp app,
      Map<String, String> env) {
    this.fake = fake;
    this.telegram = telegram;
    this.handled = handled;
    this.app = app;
    this.env = env;
  }

  /** The environment of a desk bot on the embedded defaults (json store, no Redis) in {@code dir}. */
  public static Map<String, String> env(FakeTelegramApi fake, Path dir) {
    return TestEnv.webhookEnv(fake.baseUrl(), dir);
  }

  /** Deploys the jar's bot (the desk) in this JVM with {@code env}. */
  public static DeskHarness inProcess(Vertx vertx, FakeTelegramApi fake, Map<String, String> env) {
    SplitbotApp app = SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), new DeskModule()).await();
    TelegramDeliverer telegram = new TelegramDeliverer(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET);
    return new DeskHarness(fake, telegram, () -> app.worker().stats().handled.get() + app.worker().stats().deadLettered.get(), app, env);
  }

  /** For a bot in another process: {@code handled} counts the updates it has handled. */
  public static DeskHarness external(FakeTelegramApi fake, int edgePort, LongSupplier handled, Map<String, String> env) {
    return new DeskHarness(fake, new TelegramDeliverer(edgePort, TestEnv.WEBHOOK_SECRET), handled, null, env);
  }

  public DeskUser user(long id, String firstName, String lastName, String language) {
    return new DeskUser(this, id, firstName, lastName, language);
  }

  public FakeTelegramApi fake() {
    return fake;
  }

  public SplitbotApp app() {
    return app;
  }

  public Map<String, String> env() {
    return env;
  }

  public Storage storage() {
    return app.worker().resources().storage();
  }

  public int workerPort() {
    return app.worker().httpPort();
  }

  long nextUpdateId() {
    return updateIds.incrementAndGet();
  }

  /** Continue numbering updates above {@code id} (after a restart the edge and dedup remember earlier ones). */
  public void skipUpdateIdsTo(long id) {
    updateIds.set(id);
  }

  JsonObject botUser() {
    return new JsonObject().put("id", 123456789L).put("is_bot", true).put("first_name", "Splitbot Test")
        .put("username", "splitbot_test_bot");
  }

  private volatile boolean awaitHandling = true;

  /** Off: updates are only posted to the edge (acknowledged once spooled), e.g. while the worker is down. */
  public void awaitHandling(boolean on) {
    awaitHandling = on;
  }

  /** Posts the update and waits until the worker has handled it (or dead-lettered it). */
  public void deliver(JsonObject update) {
    if (!awaitHandling) {
      try {
        telegram.deliver(update, System.nanoTime() + Duration.ofSeconds(30).toNanos());
      } catch (Exception e) {
        throw new AssertionError("update " + update.getLong("update_id") + " not acknowledged", e);
      }
      return;
    }
    long before = handled.getAsLong();
    try {
      telegram.deliver(update, System.nanoTime() + Duration.ofSeconds(30).toNanos());
    } catch (Exception e) {
      throw new AssertionError("update " + update.getLong("update_id") + " not delivered", e);
    }
    awaitHandled(before + 1, Duration.ofSeconds(30));
  }

  public void awaitHandled(long count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (handled.getAsLong() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the worker handled " + handled.getAsLong() + " updates, expected " + count);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    // the Vert.x instance of the test closes the app and the fake
  }
}
