package io.splitbot.tests.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private redis-server on a free port, by default with the append-only file fsynced on every write, so a test can
 * stop, freeze and restart it without touching the shared Redis on 6379.
 */
public final class RedisServerProcess implements AutoCloseable {
  /** The default: an acked write survives a crash. */
  public static final List<String> AOF_ALWAYS = List.of("--appendonly", "yes", "--appendfsync", "always");
  /** As the shared Redis of .ci/run: memory only, a restart keeps nothing. */
  public static final List<String> VOLATILE = List.of("--appendonly", "no");

  private final int port;
  private final Path dir;
  private final List<String> persistence;
  private Process process;

  public RedisServerProcess(Path dir) {
    this(dir, AOF_ALWAYS);
  }

  public RedisServerProcess(Path dir, List<String> persistence) {
    this.port = TestEnv.freePort();
    this.dir = dir;
    this.persistence = persistence;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public RedisServerProcess start() throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--save", "", "--dir", dir.toString()));
    command.addAll(persistence);
    process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return this;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("redis-server did not start on port " + port);
  }

  /** SIGKILL: Redis keeps only what its append-only file already holds. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGSTOP: the process and its sockets stay, and nothing answers, as a blackholed Redis. */
  public void freeze() throws Exception {
    signal("STOP");
  }

  /** SIGCONT after {@link #freeze}: Redis answers what was sent meanwhile. */
  public void thaw() throws Exception {
    signal("CONT");
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
  }
}
