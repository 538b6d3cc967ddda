package io.splitbot.worker.launch;

import io.splitbot.shared.launch.VertxFactory;
import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.module.BotModules;
import io.splitbot.worker.sandbox.BotApiEmulator;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run behind the start-up archive (class-data sharing; jvm.options, docs/BENCHMARKS.md): starts the bot
 * as the service starts it (BOT_ROLE=all, SPOOL=file, Telegram webhook mode) in a scratch folder on loopback ports,
 * against the {@link BotApiEmulator} (the sandbox's Bot API), posts one {@code /start} to its webhook, waits until the worker has handled it, and
 * stops. Under {@code -XX:ArchiveClassesAtExit} the JVM then writes every class it loaded into the archive:
 *
 * <pre>java @jvm.options -XX:SharedArchiveFile= -XX:ArchiveClassesAtExit=bot-worker/target/bot-worker.jsa \
 *     -cp bot-worker/target/bot-worker.jar io.splitbot.worker.launch.WarmUp</pre>
 *
 * (the build runs that). A main of its own rather than a command of the CLI, so the archive holds what the service
 * loads and not the command-line parser. It reads no setting but BOT_MODULE: a warm-up must never reach the stores
 * or platforms a real environment names.
 */
public final class WarmUp {
  private static final long HANDLED_WITHIN_MS = 30_000;
  private static final String TOKEN = "100000:warm-up-stand-in-token-0000";

  private WarmUp() {
  }

  public static void main(String[] args) {
    int code;
    try {
      code = run(System.getenv("BOT_MODULE"));
    } catch (Exception e) {
      System.err.println("warm-up failed: " + Redactor.mask(String.valueOf(e)));
      code = 1;
    }
    System.exit(code);
  }

  /** Returns the exit code: 0 once the update was handled and everything stopped. */
  static int run(String botModule) throws Exception {
    long began = System.nanoTime();
    Path dir = Files.createTempDirectory("splitbot-warm-up");
    Vertx side = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Vertx vertx = null;
    try {
      BotApiEmulator api = new BotApiEmulator(side, TOKEN, "Warm-up", "warm_up_bot");
      api.start().await(10, TimeUnit.SECONDS);
      WorkerConfig config = WorkerConfig.fromEnv(env(api.baseUrl(), dir, botModule));
      BotModule module = BotModules.select(config.botModule(), WarmUp.class.getClassLoader());
      vertx = VertxFactory.create(config.core()).await(30, TimeUnit.SECONDS);
      SplitbotApp app = SplitbotApp.deploy(vertx, config, module).await(30, TimeUnit.SECONDS);
      long ready = System.nanoTime();
      post(side, app.edge().actualPort(), config.env().get("TELEGRAM_WEBHOOK_SECRET"));
      long deadline = System.currentTimeMillis() + HANDLED_WITHIN_MS;
      while (app.worker().stats().handled.get() == 0) {
        if (System.currentTimeMillis() > deadline) {
          System.err.println("warm-up: the update was not handled within " + HANDLED_WITHIN_MS / 1000 + " s");
          return 1;
        }
        Thread.sleep(20);
      }
      long handled = System.nanoTime();
      app.drain().await(30, TimeUnit.SECONDS);
      System.out.printf("warm-up: %s ready in %d ms, one update handled in %d ms%n", module.getClass().getName(),
          (ready - began) / 1_000_000, (handled - ready) / 1_000_000);
      return 0;
    } finally {
      if (vertx != null) {
        vertx.close().await(30, TimeUnit.SECONDS);
      }
      side.close().await(10, TimeUnit.SECONDS);
      delete(dir);
    }
  }

  private static Map<String, String> env(String apiUrl, Path dir, String botModule) {
    Map<String, String> env = new HashMap<>();
    env.put("BOT_ROLE", "all");
    env.put("SPOOL", "file");
    env.put("DATA_DIR", dir.toString());
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("PORT", "0");
    env.put("WORKER_PORT", "0");
    env.put("TELEGRAM_BOT_TOKEN", TOKEN);
    env.put("TELEGRAM_API_URL", apiUrl);
    env.put("TELEGRAM_MODE", "webhook");
    env.put("TELEGRAM_WEBHOOK_SECRET", UUID.randomUUID().toString().replace("-", ""));
    env.put("SHUTDOWN_GRACE_SECONDS", "5");
    if (botModule != null && !botModule.isBlank()) {
      env.put("BOT_MODULE", botModule);
    }
    return env;
  }

  /** A private chat's {@code /start}, as Telegram posts it. */
  private static void post(Vertx side, int port, String secret) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    JsonObject user = new JsonObject().put("id", 1001).put("is_bot", false).put("first_name", "Warm").put("language_code", "en");
    JsonObject update = new JsonObject().put("update_id", 1).put("message", new JsonObject()
        .put("message_id", 1)
        .put("date", now)
        .put("from", user)
        .put("chat", new JsonObject().put("id", 1001).put("type", "private").put("first_name", "Warm"))
        .put("text", "/start")
        .put("entities", new JsonArray().add(new JsonObject().put("type", "bot_command").put("offset", 0).put("length", 6))));
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("127.0.0.1")
        .setPort(port)
        .setURI("/webhook/telegram")
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Telegram-Bot-Api-Secret-Token", secret);
    int status = side.createHttpClient()
        .request(request)
        .compose(r -> r.send(update.toBuffer()))
        .map(r -> r.statusCode())
        .await(10, TimeUnit.SECONDS);
    if (status != 200) {
      throw new IllegalStateException("the webhook answered " + status + " to the warm-up's update");
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
