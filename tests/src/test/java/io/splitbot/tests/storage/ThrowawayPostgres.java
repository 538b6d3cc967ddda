package io.splitbot.tests.storage;

import io.splitbot.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL cluster (of whichever major version is installed) on a free port, run as the postgres OS user, that a test may stop and start at
 * will (the shared server on 5432 is never touched).
 */
public final class ThrowawayPostgres implements AutoCloseable {
  private static final Path BIN = serverBinaries();
  private final Path dir;
  private final Path data;
  private final int port;

  private ThrowawayPostgres(Path dir, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  public static ThrowawayPostgres create() throws Exception {
    Path dir = Files.createTempDirectory("splitbot-pg-");
    run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    int port = FreePorts.next();
    ThrowawayPostgres pg = new ThrowawayPostgres(dir, port);
    pg.asPostgres(BIN.resolve("initdb").toString(), "-D", pg.data.toString(), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
    pg.start();
    return pg;
  }

  /**
   * Where initdb and pg_ctl are: Debian keeps them per major version under /usr/lib/postgresql/N/bin (the highest
   * is taken), other systems where {@code pg_config --bindir} says.
   */
  static Path serverBinaries() {
    try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      var found = versions.map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .max(java.util.Comparator.comparingInt(ThrowawayPostgres::majorVersion));
      if (found.isPresent()) {
        return found.get();
      }
    } catch (IOException e) {
      // not Debian's layout
    }
    try {
      Process p = new ProcessBuilder("pg_config", "--bindir").redirectErrorStream(true).start();
      Path bin = Path.of(new String(p.getInputStream().readAllBytes()).trim());
      if (p.waitFor() == 0 && Files.isExecutable(bin.resolve("initdb"))) {
        return bin;
      }
    } catch (IOException | InterruptedException e) {
      // no pg_config either
    }
    throw new IllegalStateException("PostgreSQL's server binaries (initdb, pg_ctl) are not in /usr/lib/postgresql/*/bin "
        + "nor where pg_config --bindir says; install PostgreSQL's server package");
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public int port() {
    return port;
  }

  public String host() {
    return "127.0.0.1";
  }

  public String url(String database) {
    return PgDatabases.url(host(), port, database);
  }

  public void start() throws Exception {
    asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=40",
        "-w", "-t", "30", "start");
  }

  /** Fast shutdown: open sessions are terminated, in-flight transactions roll back. */
  public void stop() throws Exception {
    asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop");
  }

  /**
   * Stops the server the way a crash does: every session quits at once and nothing more commits. (A fast stop ends
   * sessions one by one, so a session waiting on another's lock may still commit once that one is gone.)
   */
  public void crash() throws Exception {
    asPostgres(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop");
  }

  public void createDatabase(String name) throws Exception {
    try (var c = PgDatabases.connect(host(), port, "postgres"); var s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  private void asPostgres(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    cmd.addAll(List.of(command));
    run(cmd);
  }

  private static void run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IOException("failed (" + p.exitValue() + "): " + cmd + "\n" + out);
    }
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } catch (Exception ignored) {
      // already stopped
    }
    run(List.of("rm", "-rf", dir.toString()));
  }
}
