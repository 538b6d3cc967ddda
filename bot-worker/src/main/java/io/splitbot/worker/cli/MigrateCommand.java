package io.splitbot.worker.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.consistency.ConsistencyChecker;
import io.splitbot.worker.storage.consistency.RecordDiff;
import io.splitbot.worker.storage.consistency.ValidationReport;
import io.splitbot.worker.storage.migration.MigrationReport;
import io.splitbot.worker.storage.migration.Checkpoints;
import io.splitbot.worker.storage.migration.MigrationState;
import io.splitbot.worker.storage.migration.Migrator;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code migrate}: copies the bot's data between storage backends, and validates or repairs one against the other.
 * Backends are configured by the same environment variables as the worker (DATA_DIR, DATABASE_URL, AIRTABLE_*).
 * Exit code 0 when everything went through (and, with --validate, both sides are equal), 1 when anything failed,
 * 2 on a usage or configuration error.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Copy records from one storage backend to another: json, postgresql, airtable or remote (another worker's request service).",
        "Resumable (checkpoint after each batch) and idempotent (equal records are not copied again; a target "
            + "record with a newer version is kept).",
        "Examples:",
        "  migrate --from json --to postgresql --batch-size 50 --validate",
        "  migrate --from airtable --to postgresql --dry-run",
        "  migrate validate --from json --to postgresql",
        "  migrate repair --from postgresql --to json --kinds requests"},
    subcommands = {MigrateCommand.Validate.class, MigrateCommand.Repair.class})
public final class MigrateCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private final Map<String, String> env;

  @Spec
  CommandSpec spec;

  @Mixin
  Sides sides = new Sides();

  @Option(names = "--dry-run", description = "Read both sides and report what would be copied; write nothing.")
  boolean dryRun;

  @Option(names = "--validate", description = "After copying, compare every record and report the integrity score.")
  boolean validate;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "Checkpoint file (default: DATA_DIR/migrate/checkpoint-<from>-to-<to>.json).")
  Path checkpoint;

  @Option(names = "--restart", description = "Ignore an existing checkpoint and start from the beginning.")
  boolean restart;

  public MigrateCommand() {
    this(System.getenv());
  }

  public MigrateCommand(Map<String, String> env) {
    this.env = env;
  }

  /** Runs {@code migrate} on its own: {@code java -cp bot-worker.jar io.splitbot.worker.cli.MigrateCommand ...}. */
  public static void main(String[] args) {
    System.exit(commandLine(System.getenv()).execute(args));
  }

  /** A command line with the error handling the operator expects: one clear line, never a stack trace. */
  public static CommandLine commandLine(Map<String, String> env) {
    CommandLine cli = new CommandLine(new MigrateCommand(env));
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("migrate: " + Redactor.mask(String.valueOf(e.getMessage())));
      return FAILED;
    });
    return cli;
  }

  /** Options shared by migrate, validate and repair. */
  static final class Sides {
    @Option(names = "--from", paramLabel = "BACKEND", description = "Source backend: json, postgresql, airtable or remote.")
    String from;

    @Option(names = "--to", paramLabel = "BACKEND", description = "Target backend: json, postgresql, airtable or remote.")
    String to;

    @Option(names = "--from-data-dir", paramLabel = "DIR", description = "DATA_DIR of a json source (default DATA_DIR).")
    Path fromDataDir;

    @Option(names = "--to-data-dir", paramLabel = "DIR", description = "DATA_DIR of a json target (default DATA_DIR).")
    Path toDataDir;

    @Option(names = "--kinds", split = ",", paramLabel = "KIND",
        description = "Only these kinds (default all): users, requests, comments, status_history, assignments, "
            + "counters, kv (the key-value stores), and any kind a module declares.")
    List<String> kinds;

    @Option(names = "--batch-size", defaultValue = "50", paramLabel = "N", description = "Records per batch, 1-1000 (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
        description = "auto (a bar on a terminal, lines otherwise), bar, plain or none.")
    String progress;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path report;

    @Option(names = "--verbose", description = "Show the storage layer's log lines.")
    boolean verbose;
  }

  /** A mistake in the options: exit code 2 with a hint. */
  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  /** The two opened sides. */
  record Opened(Vertx vertx, Storage source, Storage target, String from, String to, List<Kind<?>> kinds, Path dataDir) {
  }

  /** Parses the options and environment, opens both sides (source read-only), or throws a one-line error. */
  static Opened open(Map<String, String> env, Sides s, boolean targetReadOnly) {
    if (s.from == null || s.to == null) {
      throw new UsageError("--from and --to are required, e.g. --from json --to postgresql");
    }
    if (s.batchSize < 1 || s.batchSize > 1000) {
      throw new ConfigException("--batch-size must be between 1 and 1000, got " + s.batchSize);
    }
    String from = s.from.toLowerCase(Locale.ROOT);
    String to = s.to.toLowerCase(Locale.ROOT);
    for (String[] side : new String[][] {{"--from", from}, {"--to", to}}) {
      if (!StorageConfig.SIDES.contains(side[1])) {
        throw new ConfigException(side[0] + " must be json, postgresql, airtable or remote, got '" + side[1] + "'");
      }
    }
    List<Kind<?>> kinds = new ArrayList<>();
    if (s.kinds == null || s.kinds.isEmpty()) {
      kinds.addAll(Kinds.all());
    } else {
      for (Kind<?> k : Kinds.all()) { // keep the dependency order whatever order was given
        if (s.kinds.stream().anyMatch(n -> Kinds.byName(n).orElse(null) == k)) {
          kinds.add(k);
        }
      }
      for (String n : s.kinds) {
        if (Kinds.byName(n).isEmpty()) {
          throw new ConfigException("--kinds: unknown kind '" + n + "'");
        }
      }
    }
    String dd = env.get("DATA_DIR");
    Path dataDir = Path.of(dd == null || dd.isBlank() ? "./data" : dd.trim());
    StorageConfig base = StorageConfig.sidesOnly(env, dataDir);
    base.require(from, "--from");
    base.require(to, "--to");
    StorageConfig sourceConfig = s.fromDataDir == null ? base : base.withDataDir(s.fromDataDir);
    StorageConfig targetConfig = s.toDataDir == null ? base : base.withDataDir(s.toDataDir);
    if (from.equals(to) && !(from.equals("json") && !sourceConfig.jsonDir().toAbsolutePath().normalize()
        .equals(targetConfig.jsonDir().toAbsolutePath().normalize()))) {
      throw new ConfigException("--from and --to are the same store; for json give another --from-data-dir or --to-data-dir");
    }
    Vertx vertx = Vertx.vertx();
    Storage source = StorageFactory.plain(vertx, sourceConfig, from, true);
    Storage target = StorageFactory.plain(vertx, targetConfig, to, targetReadOnly);
    try {
      await(source.start().recover(e -> Future.failedFuture(new IllegalStateException(
          "cannot open the source (" + from + "): " + e.getMessage(), e))));
      await(target.start().recover(e -> Future.failedFuture(new IllegalStateException(
          "cannot open the target (" + to + "): " + e.getMessage(), e))));
    } catch (RuntimeException e) {
      close(new Opened(vertx, source, target, from, to, kinds, dataDir));
      throw e;
    }
    return new Opened(vertx, source, target, from, to, kinds, dataDir);
  }

  static void close(Opened o) {
    try {
      await(Future.join(o.source().close(), o.target().close()));
    } catch (RuntimeException ignored) {
      // closing is best effort
    }
    o.vertx().close().toCompletionStage().toCompletableFuture().join();
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c.getMessage(), c);
    }
  }

  /** Keeps the storage layer's INFO lines out of the CLI's output unless --verbose; returns how to undo it. */
  static Runnable quietLogs(boolean verbose) {
    if (verbose || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return () -> { };
    }
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    root.setLevel(Level.WARN);
    return () -> root.setLevel(before);
  }

  static void writeReport(Path file, JsonObject json) {
    if (file == null) {
      return;
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, json.encodePrettily() + "\n", StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot write the report to " + file + ": " + e.getMessage());
    }
  }

  /** Runs {@code body} with a config error turned into exit code 2 and a one-line message. */
  static int guarded(CommandSpec spec, boolean verbose, java.util.function.Supplier<Integer> body) {
    Runnable restoreLogs = quietLogs(verbose);
    try {
      return body.get();
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("migrate: configuration error: " + Redactor.mask(e.getMessage()));
      return USAGE;
    } catch (UsageError e) {
      spec.commandLine().getErr().println("migrate: " + e.getMessage());
      spec.commandLine().getErr().println("Try 'migrate --help'.");
      return USAGE;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("migrate: " + Redactor.mask(String.valueOf(e.getMessage())));
      return FAILED;
    } finally {
      restoreLogs.run();
    }
  }

  @Override
  public Integer call() {
    return guarded(spec, sides.verbose, () -> {
      PrintWriter out = spec.commandLine().getOut();
      Opened o = open(env, sides, dryRun);
      AtomicBoolean finished = new AtomicBoolean();
      Thread hook = new Thread(() -> {
        if (!finished.get()) {
          System.err.println("migrate: interrupted; run the same command again to resume from the checkpoint");
        }
      });
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        Path cp = checkpoint != null ? checkpoint
            : o.dataDir().resolve("migrate").resolve("checkpoint-" + o.from() + "-to-" + o.to() + ".json");
        Migrator migrator = new Migrator(o.source(), o.target(), o.from(), o.to(),
            new Migrator.Options(o.kinds(), sides.batchSize, dryRun, validate, Checkpoints.inFile(o.vertx(), cp), restart),
            new CliProgress(CliProgress.resolve(sides.progress), out));
        MigrationReport report = await(migrator.run());
        finished.set(true);
        out.print(report.render());
        if (validate && !dryRun && report.ok() && intoConfiguredPrimary(env, o)) {
          ValidationReport v = report.validation();
          await(MigrationState.markDone(o.target(), o.from(), o.to(), v.toJson().getDouble("integrity"), v.union(),
              "migrate"));
          out.println("marker written: workers with STORAGE_BACKEND=dual now read from the primary (" + o.to() + ")");
        }
        out.flush();
        writeReport(sides.report, report.toJson());
        return report.ok() ? OK : FAILED;
      } finally {
        finished.set(true);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
          // already shutting down
        }
        close(o);
      }
    });
  }

  /**
   * True when this run went over every kind from the configured dual pair's secondary into its primary
   * (STORAGE_BACKEND=dual, DUAL_* or seed 003's implicit JSON + PostgreSQL): then its 100% result is the marker that
   * switches the workers' reads to the primary. A dual setting that does not parse only means there is no pair to
   * mark: the sides of this run come from --from and --to.
   */
  static boolean intoConfiguredPrimary(Map<String, String> env, Opened o) {
    StorageConfig.Dual pair;
    try {
      pair = StorageConfig.fromEnv(env, o.dataDir()).dual();
    } catch (ConfigException e) {
      return false;
    }
    // every kind: a run over some of them (--kinds) leaves the others owed
    return pair != null && pair.primary().equals(o.to()) && pair.secondary().equals(o.from())
        && o.kinds().equals(Kinds.all());
  }

  /** {@code migrate validate}: compares every record (or one, with --key) and reports the integrity score. */
  @Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Compare the two backends record by record: a field-by-field diff and the integrity score "
          + "(%% of records equal on both sides). Exit code 0 only at 100%%.",
          "Examples:",
          "  migrate validate --from json --to postgresql",
          "  migrate validate --from json --to postgresql --key requests:250927-001"})
  static final class Validate implements Callable<Integer> {
    @ParentCommand
    MigrateCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    Sides sides = new Sides();

    @Option(names = "--key", paramLabel = "KIND:KEY", description = "Validate one record, e.g. requests:250927-001, users:max/42, or users:42 (Telegram's).")
    String key;

    @Option(names = "--max-diffs", defaultValue = "20", paramLabel = "N", description = "Differences to list (default ${DEFAULT-VALUE}).")
    int maxDiffs;

    @Override
    public Integer call() {
      return guarded(spec, sides.verbose, () -> {
        PrintWriter out = spec.commandLine().getOut();
        Opened o = open(parent.env, sides, true);
        try {
          ConsistencyChecker checker = new ConsistencyChecker(o.source(), o.target());
          if (key != null) {
            RecordDiff d = await(oneRecord(checker, key, false));
            out.println(d);
            writeReport(sides.report, d.toJson());
            return d.equal() ? OK : FAILED;
          }
          ValidationReport r = await(checker.validate(o.kinds(), Math.max(sides.batchSize, 100), maxDiffs,
              new CliProgress(CliProgress.resolve(sides.progress), out)));
          out.print(r.render());
          writeReport(sides.report, r.toJson());
          return r.consistent() ? OK : FAILED;
        } finally {
          close(o);
        }
      });
    }
  }

  static Future<RecordDiff> oneRecord(ConsistencyChecker checker, String spec, boolean repair) {
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new ConfigException("--key must be KIND:KEY, e.g. requests:250927-001");
    }
    Kind<?> kind = Kinds.byName(spec.substring(0, colon))
        .orElseThrow(() -> new ConfigException("--key: unknown kind '" + spec.substring(0, colon) + "'"));
    String k = spec.substring(colon + 1);
    try {
      kind.normaliseKey(k);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--key: " + e.getMessage());
    }
    return repair ? checker.repairRecord(kind, k, true) : checker.validateRecord(kind, k);
  }

  /** {@code migrate repair}: copies what differs from the source of truth (--from) into --to. */
  @Command(name = "repair", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Make --to agree with --from (the source of truth): copy every record that is missing or "
          + "different; with --delete-extra also delete records that exist only in --to. Ends with a validation.",
          "Examples:",
          "  migrate repair --from postgresql --to json",
          "  migrate repair --from json --to postgresql --key requests:250927-001"})
  static final class Repair implements Callable<Integer> {
    @ParentCommand
    MigrateCommand parent;

    @Spec
    CommandSpec spec;

    @Mixin
    Sides sides = new Sides();

    @Option(names = "--key", paramLabel = "KIND:KEY", description = "Repair one record, e.g. requests:250927-001.")
    String key;

    @Option(names = "--delete-extra", description = "Also delete records that exist only in --to.")
    boolean deleteExtra;

    @Option(names = "--dry-run", description = "Report what would be repaired; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
      return guarded(spec, sides.verbose, () -> {
        PrintWriter out = spec.commandLine().getOut();
        Opened o = open(parent.env, sides, dryRun);
        try {
          ConsistencyChecker checker = new ConsistencyChecker(o.source(), o.target());
          if (key != null) {
            if (dryRun) {
              RecordDiff d = await(oneRecord(checker, key, false));
              out.println("would repair: " + d);
              return OK;
            }
            RecordDiff d = await(oneRecord(checker, key, true));
            out.println("after repair: " + d);
            writeReport(sides.report, d.toJson());
            return d.equal() || d.status() == RecordDiff.Status.MISSING_IN_BOTH ? OK : FAILED;
          }
          CliProgress progress = new CliProgress(CliProgress.resolve(sides.progress), out);
          ConsistencyChecker.RepairReport rr = await(checker.repair(o.kinds(), true, deleteExtra, sides.batchSize, dryRun, progress));
          out.printf(Locale.ROOT, "repair %s -> %s%s: %d copied, %d deleted, %d already equal%n", rr.sourceOfTruth(),
              rr.repaired(), dryRun ? " (dry run: nothing written)" : "", rr.copied(), rr.deleted(), rr.unchanged());
          if (dryRun) {
            writeReport(sides.report, rr.toJson());
            return OK;
          }
          ValidationReport after = await(checker.validate(o.kinds(), Math.max(sides.batchSize, 100), 20, progress));
          out.print(after.render());
          writeReport(sides.report, rr.toJson().put("validation", after.toJson()));
          return after.consistent() ? OK : FAILED;
        } finally {
          close(o);
        }
      });
    }
  }
}
