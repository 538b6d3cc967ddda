package io.splitbot.tests.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One of the built jars running as its own JVM, its output in a file, killable with SIGTERM or SIGKILL. Its
 * standard error goes to the same file, or to a file of its own when a test reads it apart ({@link #errors()}).
 * Every JVM starts as the README starts the jars: {@code java @jvm.options ...} from the repository's root, so the
 * flags (heap, GC, the start-up archive) are the ones users run with.
 */
public final class JvmProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Path errors;

  private JvmProcess(String name, Process process, Path log, Path errors) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.errors = errors;
  }

  public static Path workerJar() {
    return jar("splitbot.workerJar", "../bot-worker/target/bot-worker.jar");
  }

  public static Path edgeJar() {
    return jar("splitbot.edgeJar", "../webhook-server/target/webhook-server.jar");
  }

  /** The JVM flags file every process here starts with (the repository's jvm.options). */
  public static Path jvmOptions() {
    return RepoRoot.DIR.resolve("jvm.options");
  }

  /** The flags the README runs the jars with: the one argument {@code @<root>/jvm.options}. */
  private static List<String> asDocumented() {
    return List.of("@" + jvmOptions());
  }

  private static Path jar(String property, String fallback) {
    Path jar = Path.of(System.getProperty(property, fallback)).toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn -DskipTests package` first");
    }
    return jar;
  }

  public static JvmProcess start(String name, Path jar, Map<String, String> env, Path logDir, String... args) throws IOException {
    return start(name, asDocumented(), List.of("-jar", jar.toString()), env, logDir, false, args);
  }

  /**
   * {@code java <jvmFlags> -jar <jar>}: the jar with exactly these flags instead of jvm.options (none: the JVM's own
   * ergonomics), for the benchmarks' comparisons.
   */
  public static JvmProcess startJar(String name, List<String> jvmFlags, Path jar, Map<String, String> env, Path logDir)
      throws IOException {
    return start(name, jvmFlags, List.of("-jar", jar.toString()), env, logDir, false);
  }

  /**
   * {@code java -cp a.jar:b.jar main}: a built jar with other jars beside it, as a user runs their own bot module
   * on the worker's class path. Standard error is kept apart from the log, for {@link #errors()}.
   */
  public static JvmProcess startClassPath(String name, List<Path> classPath, String main, Map<String, String> env, Path logDir,
      String... args) throws IOException {
    String joined = String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList());
    return start(name, asDocumented(), List.of("-cp", joined, main), env, logDir, true, args);
  }

  /**
   * A test's own main class on the test class path: the real services with a piece swapped in (a bot, a fault),
   * where a jar cannot take it.
   */
  public static JvmProcess startMain(String name, Class<?> main, Map<String, String> env, Path logDir, String... args) throws IOException {
    // Under surefire java.class.path is a manifest-only booter jar; surefire.test.class.path is the real one.
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return start(name, asDocumented(), List.of("-cp", classPath, main.getName()), env, logDir, false, args);
  }

  private static JvmProcess start(String name, List<String> jvmFlags, List<String> what, Map<String, String> env, Path logDir,
      boolean separateErrors, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(what);
    command.addAll(List.of(args));
    // From the root, as the README runs it: jvm.options names the start-up archive by a path relative to it.
    ProcessBuilder builder = new ProcessBuilder(command).directory(RepoRoot.DIR.toFile());
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(env);
    Files.createDirectories(logDir);
    Path log = logDir.resolve(name + ".log");
    Path errors = separateErrors ? logDir.resolve(name + ".err.log") : null;
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (errors == null) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(ProcessBuilder.Redirect.appendTo(errors.toFile()));
    }
    return new JvmProcess(name, builder.start(), log, errors);
  }

  /** Waits until GET {@code url} answers {@code status}; fails with the process output if it dies first. */
  public void awaitHttp(String url, int status, Duration timeout) throws Exception {
    HttpClient http = HttpClients.http1(Duration.ofSeconds(1));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == status) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " did not answer " + status + " at " + url + " within " + timeout + ":\n" + output());
  }

  /** SIGKILL: no shutdown hook, no flush; what the kernel has is all that survives. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the graceful path. Returns the exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " did not stop within " + timeout + " after SIGTERM");
    }
    return process.exitValue();
  }

  public int waitForExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(name + " still running after " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the process wrote: its log, then its standard error when that is kept apart. */
  public String output() {
    return errors == null ? read(log) : read(log) + "\n[stderr]\n" + read(errors);
  }

  /** Standard error alone, for a process started with {@link #startClassPath}. */
  public String errors() {
    if (errors == null) {
      throw new IllegalStateException(name + " writes its standard error into its log");
    }
    return read(errors);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  public File logFile() {
    return log.toFile();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
