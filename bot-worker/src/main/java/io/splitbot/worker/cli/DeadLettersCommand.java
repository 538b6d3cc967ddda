package io.splitbot.worker.cli;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.deadletter.DeadLetter;
import io.splitbot.shared.deadletter.DeadLetterOwner;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.worker.WorkerResources;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists, replays and drops dead-lettered updates in the store the worker uses (REDIS_URL, or DATA_DIR). */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "Manage updates whose handlers kept failing.",
    subcommands = {DeadLettersCommand.ListCommand.class, DeadLettersCommand.Replay.class, DeadLettersCommand.Drop.class})
public final class DeadLettersCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Opens the store the way the worker does, from the same environment variables. */
  static <T> T withStore(StoreAction<T> action) throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("BOT_ROLE", "worker");
    SplitbotConfig config;
    try {
      config = SplitbotConfig.fromEnv(env, Role.ALL);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("configuration error: " + e.getMessage());
    }
    Vertx vertx = Vertx.vertx();
    Redis redis = null;
    try {
      if (config.redisUrl() != null) {
        redis = WorkerResources.redisClient(vertx, config.redisUrl());
      }
      DeadLetterStore store = DeadLetterOwner.WORKER.open(vertx, config, redis == null ? null : RedisAPI.api(redis));
      return action.run(store);
    } finally {
      if (redis != null) {
        redis.close();
      }
      vertx.close().await();
    }
  }

  interface StoreAction<T> {
    T run(DeadLetterStore store) throws Exception;
  }

  @Command(name = "list", description = "Show every dead letter with its error.")
  static final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      List<DeadLetter> letters = withStore(store -> store.list().await());
      if (letters.isEmpty()) {
        out.println("No dead letters.");
        return 0;
      }
      out.printf("%-12s %-16s %-8s %-24s %s%n", "UPDATE_ID", "CHAT", "ATTEMPTS", "FAILED_AT", "ERROR");
      for (DeadLetter l : letters) {
        out.printf("%-12d %-16s %-8d %-24s %s%s%n", l.update().updateId(), l.update().chatKey(), l.attempts(),
            Instant.ofEpochMilli(l.failedAtMillis()), l.error(), l.replayRequested() ? "  (replay requested)" : "");
      }
      out.println(letters.size() + " dead letter(s).");
      return 0;
    }
  }

  @Command(name = "replay", description = "Run an update through the handlers again; a running worker carries it out.")
  static final class Replay implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "UPDATE_ID")
    long updateId;

    @Option(names = "--wait", defaultValue = "30", description = "Seconds to wait for the worker's outcome (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      return withStore(store -> {
        DeadLetter before = store.get(updateId).await();
        if (before == null) {
          err.println("No dead letter for update " + updateId + ".");
          return 1;
        }
        store.requestReplay(updateId).await();
        out.println("Replay of update " + updateId + " requested; waiting up to " + waitSeconds + " s for the worker.");
        long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
        while (System.currentTimeMillis() < deadline) {
          Thread.sleep(250);
          DeadLetter now = store.get(updateId).await();
          if (now == null) {
            out.println("Update " + updateId + " replayed and handled; it is no longer a dead letter.");
            return 0;
          }
          if (!now.replayRequested()) {
            err.println("Update " + updateId + " failed again after " + now.attempts() + " attempts: " + now.error());
            return 1;
          }
        }
        out.println("No worker has taken the replay yet; it stays queued and runs when a worker is up.");
        return 3;
      });
    }
  }

  @Command(name = "drop", description = "Delete a dead letter for good.")
  static final class Drop implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "UPDATE_ID")
    long updateId;

    @Override
    public Integer call() throws Exception {
      boolean removed = withStore(store -> store.remove(updateId).await());
      if (!removed) {
        spec.commandLine().getErr().println("No dead letter for update " + updateId + ".");
        return 1;
      }
      spec.commandLine().getOut().println("Dropped the dead letter for update " + updateId + ".");
      return 0;
    }
  }
}
