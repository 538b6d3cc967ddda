package io.splitbot.edge.cli;

import io.splitbot.edge.deadletter.EdgeDeadLetters;
import io.splitbot.shared.deadletter.DeadLetterConsole;
import io.splitbot.shared.log.Redactor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar webhook-server.jar dead-letters ...}: the same dead-letter commands as bot-worker.jar, for a host
 * that runs only the edge (its dead letters under its own DATA_DIR when there is no REDIS_URL). The edge jar carries no
 * CLI library, and three commands with two options need none: the parsing is here, the commands are
 * {@link DeadLetterConsole}. Bad input gets one line naming what is wrong and the usage, never a stack trace.
 */
public final class EdgeCli {
  static final String USAGE = """
      usage: java -jar webhook-server.jar dead-letters list
             java -jar webhook-server.jar dead-letters replay UPDATE [--wait SECONDS] [--from worker|edge]
             java -jar webhook-server.jar dead-letters drop UPDATE [--from worker|edge]
      Without arguments the jar runs the edge. The commands use REDIS_URL, or DATA_DIR, like the services.""";

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;

  EdgeCli(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** Runs the command line and returns the exit code. */
  public static int run(String... args) {
    return new EdgeCli(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true))
        .execute(List.of(args));
  }

  int execute(List<String> args) {
    if (args.isEmpty() || List.of("-h", "--help", "help").contains(args.get(0))) {
      out.println(USAGE);
      return DeadLetterConsole.OK;
    }
    if (!args.get(0).equals("dead-letters")) {
      return usage("unknown command '" + args.get(0) + "'");
    }
    if (args.size() < 2 || List.of("-h", "--help").contains(args.get(1))) {
      out.println(USAGE);
      return args.size() < 2 ? DeadLetterConsole.USAGE : DeadLetterConsole.OK;
    }
    String command = args.get(1);
    List<String> rest = args.subList(2, args.size());
    try {
      return switch (command) {
        case "list" -> rest.isEmpty() ? list() : usage("list takes no arguments, got '" + rest.get(0) + "'");
        case "replay", "drop" -> withUpdate(command, rest);
        default -> usage("unknown dead-letters command '" + command + "' (list, replay or drop)");
      };
    } catch (Exception e) {
      err.println("error: " + Redactor.mask(String.valueOf(e.getMessage())));
      return DeadLetterConsole.FAILED;
    }
  }

  private int list() {
    try (DeadLetterConsole console = console()) {
      return console.list();
    }
  }

  private int withUpdate(String command, List<String> rest) throws InterruptedException {
    String updateId = null;
    String from = null;
    int waitSeconds = 30;
    for (int i = 0; i < rest.size(); i++) {
      String arg = rest.get(i);
      if (arg.equals("--from") || (arg.equals("--wait") && command.equals("replay"))) {
        if (i + 1 == rest.size()) {
          return usage(arg + " needs a value");
        }
        String value = rest.get(++i);
        if (arg.equals("--from")) {
          from = value;
        } else if (value.matches("\\d{1,6}")) {
          waitSeconds = Integer.parseInt(value);
        } else {
          return usage("--wait must be a whole number of seconds, got '" + value + "'");
        }
      } else if (arg.startsWith("-")) {
        return usage("unknown option '" + arg + "' for " + command);
      } else if (updateId != null) {
        return usage(command + " takes one UPDATE, got a second one: '" + arg + "'");
      } else if (DeadLetterConsole.keyProblem(arg) != null) {
        return usage(DeadLetterConsole.keyProblem(arg));
      } else {
        updateId = arg;
      }
    }
    if (updateId == null) {
      return usage(command + " needs an UPDATE (as dead-letters list shows it)");
    }
    try (DeadLetterConsole console = console()) {
      return command.equals("replay") ? console.replay(updateId, from, waitSeconds) : console.drop(updateId, from);
    }
  }

  private DeadLetterConsole console() {
    return DeadLetterConsole.open(env, out, err);
  }

  private int usage(String problem) {
    err.println("error: " + problem);
    err.println(USAGE);
    return DeadLetterConsole.USAGE;
  }
}
