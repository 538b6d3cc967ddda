package io.splitbot.worker.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar bot-worker.jar <command>}: the operator's tools, next to the service itself. */
@Command(
    name = "java -jar bot-worker.jar",
    mixinStandardHelpOptions = true,
    description = "Without a command: run the bot (BOT_ROLE=all or worker). With one: the offline sandbox or an operator tool.",
    subcommands = {SandboxCommand.class, DeadLettersCommand.class, MigrateCommand.class, CommandLine.HelpCommand.class})
public final class SplitbotCli implements Runnable {

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  /** Runs the command line and returns the exit code; errors are one clear line, never a stack trace. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SplitbotCli());
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("error: " + io.splitbot.shared.log.Redactor.mask(String.valueOf(e.getMessage())));
      return 1;
    });
    return cli.execute(args);
  }
}
