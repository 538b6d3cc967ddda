package io.splitbot.worker.sandbox;

import io.splitbot.shared.launch.Startup;
import io.splitbot.shared.log.LogSetup;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.WorkerMain;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar bot-worker.jar sandbox}: the bot offline, in a browser. It starts the {@link BotApiEmulator} on
 * loopback, then the service as it always runs (BOT_ROLE=all, Telegram long polling, so the pipeline, dedup, effect
 * ledger and throttle all take part) against it with a sandbox token, everything bound to 127.0.0.1, and the chat page
 * ({@link SandboxApi}) on the worker's port. It needs no token and reaches no network: the settings that would reach
 * one (a real token, MAX, a webhook, a legacy bot) are left out; storage is what the environment configures, the
 * embedded default in {@code DATA_DIR/sandbox} otherwise, apart from a real bot's files.
 */
public final class Sandbox {
  /** A token of the real shape, for the emulator alone. */
  static final String TOKEN = "100001:sandbox-offline-token-000000";
  /**
   * What would reach beyond this machine or take webhooks, under splitbot's names and seed 001's (SeedVariables):
   * never taken from the environment here.
   */
  private static final List<String> LEFT_OUT = List.of("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "TELEGRAM_WEBHOOK_SECRET",
      "WEBHOOK_PUBLIC_URL", "MAX_BOT_TOKEN", "MAX_API_URL", "MAX_WEBHOOK_SECRET", "MAX_WEBHOOK_PUBLIC_URL", "MAX_MODE",
      "LEGACY_WEBHOOK_URL", "LEGACY_WEBHOOK_SECRET", "WEBHOOK_SECRET", "WEBHOOK_ENABLED", "MAXBOT_HTTP_PORT");

  private Sandbox() {
  }

  /**
   * Starts the emulator and the service and returns the chat page's URL; a start-up failure ends the process with
   * its one line, as the service's does.
   */
  public static String start(Map<String, String> environment) {
    if (System.getProperty("LOG_LEVEL") == null && environment.get("LOG_LEVEL") == null) {
      LogSetup.quiet(); // the console is for the URL; warnings and errors still show
    }
    Map<String, String> env = environment(environment);
    // Its own small Vert.x: the service's is built from the configuration, which needs the emulator's URL.
    Vertx side = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    BotApiEmulator emulator = new BotApiEmulator(side, TOKEN, "Sandbox", "sandbox_bot");
    emulator.start().await();
    env.put("TELEGRAM_API_URL", emulator.baseUrl());
    WorkerConfig config = Startup.orExit(() -> WorkerConfig.fromEnv(env));
    SplitbotApp app = WorkerMain.serve(config, vertx -> new SandboxApi(vertx, emulator)::mount);
    return "http://127.0.0.1:" + app.worker().httpPort() + "/sandbox";
  }

  /** The service's environment in the sandbox: the user's, without what reaches a network, and loopback only. */
  static Map<String, String> environment(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>(environment);
    LEFT_OUT.forEach(env::remove);
    env.put("TELEGRAM_BOT_TOKEN", TOKEN);
    env.put("TELEGRAM_MODE", "polling");
    env.put("BOT_ROLE", "all");
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("WORKER_HTTP_HOST", "127.0.0.1");
    env.put("CLUSTER_HOST", "127.0.0.1");
    env.putIfAbsent("PORT", "0"); // the edge takes no webhooks here: any free port
    String dataDir = env.get("DATA_DIR");
    env.put("DATA_DIR", Path.of(dataDir == null || dataDir.isBlank() ? "./data" : dataDir, "sandbox").toString());
    // The switcher's admin is an admin, unless the environment names its own.
    env.putIfAbsent("ADMIN_USER_IDS", String.valueOf(SandboxPeople.ADMIN.id()));
    return env;
  }
}
