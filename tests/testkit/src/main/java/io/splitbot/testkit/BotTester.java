package io.splitbot.testkit;

import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Runs a bot module in this JVM against a {@link FakeTelegramApi}, the way production runs it: the edge and the worker
 * in webhook mode, each update posted to the edge's webhook with its secret, spooled, forwarded and handled.
 *
 * <pre>
 * try (BotTester tester = BotTester.start(new HelloModule())) {
 *   TestChat chat = tester.chat(1001);
 *   chat.send("/start");
 *   assertEquals("Hello!", chat.lastReply().text());
 * }
 * </pre>
 *
 * <p>Each update a {@link TestChat} sends returns once the worker has handled it, so the bot's calls are at the fake
 * when the test reads them; nothing waits for a fixed time. {@link #start(BotModule, Map)} picks free ports and a
 * temporary DATA_DIR (the embedded stores: json storage, no Redis), and {@link #close()} stops everything and deletes
 * that folder. Extra environment variables select other backends ({@code DATABASE_URL}, {@code REDIS_URL}) or set the
 * bot's own variables.
 */
public final class BotTester implements AutoCloseable {
  /** The bot token the fake and the bot share: the shape Telegram's tokens have, which the configuration checks. */
  public static final String TOKEN = "123456:TESTKIT-fake-bot-token_0123456789";
  /** The X-Telegram-Bot-Api-Secret-Token of the tester's webhook posts. */
  public static final String WEBHOOK_SECRET = "testkit-webhook-secret";
  /** How long one update may take to be acknowledged and handled before the test fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final FakeTelegramApi api;
  private final SplitbotApp app;
  private final Map<String, String> env;
  private final Path ownedDir;
  private final URI webhook;
  private final String secret;
  private final LongSupplier handled;
  private final AtomicLong updateIds = new AtomicLong(1000);
  private volatile boolean awaitHandling = true;
  private boolean closed;

  private BotTester(Vertx vertx, boolean ownsVertx, FakeTelegramApi api, SplitbotApp app, Map<String, String> env,
      Path ownedDir, int edgePort, String secret, LongSupplier handled) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.api = api;
    this.app = app;
    this.env = Map.copyOf(env);
    this.ownedDir = ownedDir;
    this.webhook = URI.create("http://127.0.0.1:" + edgePort + "/webhook/telegram");
    this.secret = secret;
    this.handled = handled;
  }

  // ---------------------------------------------------------------- starting

  /** Runs {@code module} on the default environment (see {@link BotTester}). */
  public static BotTester start(BotModule module) {
    return start(module, Map.of());
  }

  /**
   * Runs {@code module} on its own Vert.x and fake Bot API, with the default environment plus {@code extraEnv} (which
   * wins). Throws when the bot does not start, with the reason the runtime gives.
   */
  public static BotTester start(BotModule module, Map<String, String> extraEnv) {
    Path dir = createTempDir();
    Vertx vertx = Vertx.vertx();
    try {
      FakeTelegramApi api = new FakeTelegramApi(vertx, extraEnv.getOrDefault("TELEGRAM_BOT_TOKEN", TOKEN));
      await(api.start(), "the fake Bot API did not start");
      Map<String, String> env = env(api, dir.resolve("data"));
      env.put("PORT", "0");
      env.put("WORKER_PORT", "0");
      env.putAll(extraEnv);
      SplitbotApp app = await(SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), module), "the bot did not start");
      return inProcess(vertx, true, api, app, env, dir);
    } catch (RuntimeException | Error e) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
      delete(dir);
      throw e;
    }
  }

  /**
   * Runs {@code module} on a Vert.x and a fake the test owns, with exactly {@code env} (start from
   * {@link #env(FakeTelegramApi, Path)}). {@link #close()} undeploys the bot and leaves the Vert.x and the fake.
   */
  public static BotTester start(Vertx vertx, FakeTelegramApi api, BotModule module, Map<String, String> env) {
    SplitbotApp app = await(SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), module), "the bot did not start");
    return inProcess(vertx, false, api, app, env, null);
  }

  /**
   * Talks to a bot running in another process, started with {@link #env(FakeTelegramApi, Path)} or the like: its edge
   * listens on {@code edgePort} and expects {@code webhookSecret}; its worker reports what it has handled on
   * {@code workerPort} ({@code GET /health/ready}). {@link #close()} leaves the process alone.
   */
  public static BotTester external(FakeTelegramApi api, int edgePort, int workerPort, String webhookSecret) {
    return new BotTester(null, false, api, null, Map.of(), null, edgePort, webhookSecret, () -> handledBy(workerPort));
  }

  /**
   * The environment the tester runs a bot with: the fake's URL and the token it serves, webhook mode with
   * {@link #WEBHOOK_SECRET}, HTTP on 127.0.0.1 at two free ports, DATA_DIR {@code dataDir}, and outgoing rate limits
   * raised so that a test never waits on Telegram's throttle. A mutable copy, to add to.
   */
  public static Map<String, String> env(FakeTelegramApi api, Path dataDir) {
    return env(api.token(), api.baseUrl(), dataDir);
  }

  /** {@link #env(FakeTelegramApi, Path)} for a bot with this token that calls the Bot API at {@code apiUrl}. */
  public static Map<String, String> env(String token, String apiUrl, Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("TELEGRAM_BOT_TOKEN", token);
    env.put("TELEGRAM_API_URL", apiUrl);
    env.put("TELEGRAM_MODE", "webhook");
    env.put("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("TELEGRAM_GLOBAL_RATE", "2000");
    env.put("TELEGRAM_CHAT_RATE", "200");
    env.put("TELEGRAM_GROUP_RATE_PER_MIN", "100000");
    env.put("PORT", String.valueOf(FreePorts.next()));
    env.put("WORKER_PORT", String.valueOf(FreePorts.next()));
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("DATA_DIR", dataDir.toString());
    env.put("SHUTDOWN_GRACE_SECONDS", "5");
    return env;
  }

  private static BotTester inProcess(Vertx vertx, boolean ownsVertx, FakeTelegramApi api, SplitbotApp app,
      Map<String, String> env, Path ownedDir) {
    if (app.edge() == null) {
      throw new IllegalArgumentException("the tester delivers through the edge: BOT_ROLE must be all");
    }
    return new BotTester(vertx, ownsVertx, api, app, env, ownedDir, app.edge().actualPort(), env.get("TELEGRAM_WEBHOOK_SECRET"),
        () -> app.worker().stats().handled.get() + app.worker().stats().deadLettered.get());
  }

  // ---------------------------------------------------------------- chats and updates

  /** A private chat with user {@code userId} ("User&lt;id&gt;", language en). */
  public TestChat chat(long userId) {
    return chat(userId, "User" + userId, null, "en");
  }

  /** A private chat with this user; {@code lastName} and {@code languageCode} may be null. */
  public TestChat chat(long userId, String firstName, String lastName, String languageCode) {
    JsonObject user = new JsonObject().put("id", userId).put("is_bot", false).put("first_name", firstName)
        .put("username", firstName.replaceAll("[^A-Za-z0-9_]", "").toLowerCase() + userId);
    if (lastName != null) {
      user.put("last_name", lastName);
    }
    if (languageCode != null) {
      user.put("language_code", languageCode);
    }
    return new TestChat(this, user);
  }

  /**
   * Posts {@code update} to the edge's webhook and waits until the worker has handled it. Fails when the edge does
   * not acknowledge it, when the worker has not handled it within {@link #TIMEOUT}, or (in this JVM) when the bot's
   * handler failed on it until it went to the dead letters.
   */
  public void deliver(JsonObject update) {
    long before = handled.getAsLong();
    long deadBefore = deadLettered();
    post(update);
    if (!awaitHandling) {
      return;
    }
    awaitHandled(before + 1, TIMEOUT);
    if (deadLettered() > deadBefore) {
      throw new AssertionError("the bot's handler failed on update " + update.getValue("update_id")
          + " and the update went to the dead letters (after its last attempt, or at once when no attempt could do"
          + " better); the log says why. The update: " + update.encode());
    }
  }

  /** The next update_id (they start above 1000 and only grow, as Telegram's do). */
  public long nextUpdateId() {
    return updateIds.incrementAndGet();
  }

  /** Numbers updates above {@code id} from now on: a restarted bot remembers the ids it has handled. */
  public void skipUpdateIdsTo(long id) {
    updateIds.set(id);
  }

  /**
   * With {@code false}, updates are only posted and acknowledged (spooled by the edge), not waited for: for a worker
   * that is down or cannot finish them yet. {@code true} (the default) waits again. Each delivery waits for one more
   * update handled than before it, so before the next one wait with {@link #awaitHandled} until the worker has
   * finished the updates it was given meanwhile.
   */
  public void awaitHandling(boolean on) {
    awaitHandling = on;
  }

  /** Updates the worker has finished, handled or dead-lettered, since it started. */
  public long handled() {
    return handled.getAsLong();
  }

  /** Waits until the worker has finished {@code count} updates since it started; fails after {@code timeout}. */
  public void awaitHandled(long count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (handled.getAsLong() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the worker finished " + handled.getAsLong() + " updates within " + timeout + ", expected " + count);
      }
      // A counter bumped on another thread: look again shortly (the fake's calls can be waited on; this cannot).
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  // ---------------------------------------------------------------- what a test may reach

  /** The fake Bot API the bot talks to. */
  public FakeTelegramApi api() {
    return api;
  }

  /** The running bot (edge and worker); null for {@link #external}. */
  public SplitbotApp app() {
    return app;
  }

  /** The Vert.x the bot runs on; null for {@link #external}. */
  public Vertx vertx() {
    return vertx;
  }

  /** The environment the bot was started with. */
  public Map<String, String> env() {
    return env;
  }

  /** The bot's DATA_DIR, or null when the environment sets none. */
  public Path dataDir() {
    return env.containsKey("DATA_DIR") ? Path.of(env.get("DATA_DIR")) : null;
  }

  /** Stops the bot; with {@link #start(BotModule, Map)} also the fake and the Vert.x, and deletes the temporary folder. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsVertx) {
      await(vertx.close(), "Vert.x did not close");
      delete(ownedDir);
    } else if (app != null) {
      await(vertx.undeploy(app.edge().deploymentID()).compose(v -> vertx.undeploy(app.worker().deploymentID())),
          "the bot did not stop");
    }
  }

  // ---------------------------------------------------------------- helpers

  private void post(JsonObject update) {
    HttpRequest.Builder request = HttpRequest.newBuilder(webhook)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(update.encode()));
    if (secret != null) { // none with WEBHOOK_ALLOW_UNAUTHENTICATED
      request.header("X-Telegram-Bot-Api-Secret-Token", secret);
    }
    HttpResponse<String> response;
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("could not post update " + update.getValue("update_id") + " to " + webhook + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while posting update " + update.getValue("update_id"), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new AssertionError("the edge answered " + response.statusCode() + " " + response.body() + " to update "
          + update.getValue("update_id"));
    }
  }

  private long deadLettered() {
    return app == null ? 0 : app.worker().stats().deadLettered.get();
  }

  /** Handled plus dead-lettered, from a worker process's readiness report; -1 while it does not answer. */
  private static long handledBy(int workerPort) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + workerPort + "/health/ready"))
          .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
      JsonArray checks = new JsonObject(r.body()).getJsonArray("checks", new JsonArray());
      for (Object check : checks) {
        JsonObject c = (JsonObject) check;
        if ("worker".equals(c.getString("id")) && c.getJsonObject("data") != null) {
          return c.getJsonObject("data").getLong("handled", 0L) + c.getJsonObject("data").getLong("dead_lettered", 0L);
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static <T> T await(Future<T> future, String failure) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(failure + ": " + cause, cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(failure + " within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(failure + ": interrupted", e);
    }
  }



  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("splitbot-testkit");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
