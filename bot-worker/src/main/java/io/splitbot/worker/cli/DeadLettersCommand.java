package io.splitbot.worker.cli;

import io.splitbot.shared.deadletter.DeadLetterConsole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Lists, replays and drops dead-lettered updates: the worker's (handlers failed every attempt) and the edge's (the
 * worker or the legacy bot refused every attempt), in the stores the services use (REDIS_URL, or DATA_DIR). The
 * commands themselves are {@link DeadLetterConsole}, which webhook-server.jar runs too.
 */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "Manage updates that failed every attempt, at the worker or at the edge.",
    subcommands = {DeadLettersCommand.ListCommand.class, DeadLettersCommand.Replay.class, DeadLettersCommand.Drop.class})
public final class DeadLettersCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static DeadLetterConsole console(CommandSpec spec) {
    return DeadLetterConsole.open(System.getenv(), spec.commandLine().getOut(), spec.commandLine().getErr());
  }

  @Command(name = "list", description = "Show every dead letter, the worker's and the edge's, with its error.")
  static final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      try (DeadLetterConsole console = console(spec)) {
        return console.list();
      }
    }
  }

  @Command(name = "replay", description = "Run an update again; the running worker (or, for an edge dead letter, the edge) carries it out.")
  static final class Replay implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "UPDATE", description = "The update as dead-letters list shows it: 5 (Telegram), max:mid.… (MAX).")
    String updateId;

    @Option(names = "--wait", defaultValue = "30", description = "Seconds to wait for the outcome (default ${DEFAULT-VALUE}).")
    int waitSeconds;

    @Option(names = "--from", paramLabel = "worker|edge", description = "Whose dead letter, when both hold one for this update.")
    String from;

    @Override
    public Integer call() throws Exception {
      try (DeadLetterConsole console = console(spec)) {
        return console.replay(updateId, from, waitSeconds);
      }
    }
  }

  @Command(name = "drop", description = "Delete a dead letter for good.")
  static final class Drop implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "UPDATE", description = "The update as dead-letters list shows it.")
    String updateId;

    @Option(names = "--from", paramLabel = "worker|edge", description = "Whose dead letter, when both hold one for this update.")
    String from;

    @Override
    public Integer call() {
      try (DeadLetterConsole console = console(spec)) {
        return console.drop(updateId, from);
      }
    }
  }
}
