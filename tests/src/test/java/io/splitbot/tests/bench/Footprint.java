package io.splitbot.tests.bench;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.ProcFs;
import io.splitbot.tests.support.TestEnv;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * Start-up and idle memory of bot-worker.jar (issue 14): BOT_ROLE=all, SPOOL=file, the bundled desk bot, against the
 * testkit's fake Bot API in this JVM.
 *
 * <ul>
 *   <li>Start-up: from spawning {@code java} to the edge's {@code GET /health/ready} answering 200 (the edge is the
 *       last to start, and its readiness pings the worker), and to the "edge listening" log line; CPU time the
 *       process had used when ready; whether the start-up archive was mapped. {@code foot.starts} starts of each
 *       setup, webhook mode; min, median and max.</li>
 *   <li>Idle memory: VmRSS (and its anonymous and file-backed parts) {@code foot.idleSeconds} after ready, in
 *       webhook mode and in polling mode (the fake's getUpdates long poll).</li>
 * </ul>
 *
 * <p>Setups: {@code java @jvm.options -jar bot-worker.jar} from the repository's root, as the README runs it; the
 * same with the archive turned off ({@code -XX:SharedArchiveFile=} after it: the JDK's own archive only), for what
 * the archive brings and what a missing one costs (start-up only); and plain {@code java -jar} with the JVM's default
 * ergonomics, as before issue 14. It prints figures and asserts nothing. Run it with
 * {@code mvn -B -Pbenchmark -pl tests test -Dtest=FootprintRun -Dsurefire.failIfNoSpecifiedTests=false} after an
 * install (docs/BENCHMARKS.md). Knobs: {@code foot.starts} [5], {@code foot.idleSeconds} [30], {@code foot.beforeJar}
 * [another bot-worker.jar, e.g. one built from an older commit, run with plain {@code java -jar} as a further setup],
 * {@code bench.dir}.
 */
final class Footprint {
  private static final String EDGE_LISTENING = "edge listening on port";
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** One way of starting a jar: a name, the JVM options before {@code -jar}, and the jar. */
  record Setup(String name, List<String> options, Path jar, boolean idle) {
  }

  record Start(double readyMs, double listeningMs, double cpuMs, boolean archiveMapped) {
  }

  record Idle(String mode, double rssMb, double anonMb, double fileMb) {
  }

  private final int starts = Integer.getInteger("foot.starts", 5);
  private final int idleSeconds = Integer.getInteger("foot.idleSeconds", 30);
  private final Path runDir;
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
  private final StringBuilder report = new StringBuilder();

  private Footprint() throws IOException {
    runDir = Path.of(System.getProperty("bench.dir", "target/benchmark"))
        .resolve("footprint-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath();
    Files.createDirectories(runDir);
  }

  static void runAll() throws Exception {
    Thread reaper = new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly));
    Runtime.getRuntime().addShutdownHook(reaper);
    Footprint bench = new Footprint();
    try {
      bench.run();
    } finally {
      bench.fake.stop().await(10, TimeUnit.SECONDS);
      bench.vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void run() throws Exception {
    fake.start().await(10, TimeUnit.SECONDS);
    Path jar = JvmProcess.workerJar();
    List<Setup> setups = new ArrayList<>(List.of(
        new Setup("java @jvm.options -jar (README)", List.of("@" + JvmProcess.jvmOptions()), jar, true),
        new Setup("the same, archive off", List.of("@" + JvmProcess.jvmOptions(), "-XX:SharedArchiveFile="), jar, false),
        new Setup("java -jar (JVM defaults)", List.of(), jar, true)));
    String before = System.getProperty("foot.beforeJar", "");
    if (!before.isBlank()) {
      setups.add(new Setup("before: java -jar " + Path.of(before).getFileName() + " (foot.beforeJar)", List.of(),
          Path.of(before).toAbsolutePath(), true));
    }
    String loadBefore = loadAverage();
    long began = System.nanoTime();
    line("# bot-worker.jar start-up and idle memory, " + LocalDateTime.now().withNano(0));
    line("");
    line("machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), java " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + "; BOT_ROLE=all, SPOOL=file, the desk bot, the fake Bot API in the driver JVM");
    line("jvm.options: " + String.join(" ", flags(JvmProcess.jvmOptions())));
    line("run folder: " + runDir);
    line("");
    line("## Start-up, webhook mode, " + starts + " starts each: min / median / max");
    line("");
    line("| setup | to /health/ready 200, ms | to \"edge listening\", ms | CPU used by ready, ms | start-up archive mapped |");
    line("|---|---|---|---|---|");
    for (Setup setup : setups) {
      List<Start> results = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        results.add(start(setup, i));
      }
      line(String.format("| %s | %s | %s | %s | %d of %d |", setup.name(), spread(results, Start::readyMs),
          spread(results, Start::listeningMs), spread(results, Start::cpuMs),
          results.stream().filter(Start::archiveMapped).count(), results.size()));
    }
    line("");
    line("## Idle memory, " + idleSeconds + " s after ready");
    line("");
    line("| setup | mode | VmRSS MB | anonymous MB | file-backed MB |");
    line("|---|---|---|---|---|");
    for (Setup setup : setups) {
      if (!setup.idle()) {
        continue;
      }
      for (Idle idle : idle(setup)) {
        line(String.format("| %s | %s | %.1f | %.1f | %.1f |", setup.name(), idle.mode(), idle.rssMb(), idle.anonMb(), idle.fileMb()));
      }
    }
    line("");
    line(String.format("load average (1 min) before and after: %s, %s; whole run %.0f s", loadBefore, loadAverage(),
        (System.nanoTime() - began) / 1e9));
    Files.writeString(runDir.resolve("results.md"), report.toString());
    System.out.println("[footprint] written " + runDir.resolve("results.md"));
  }

  private Start start(Setup setup, int index) throws Exception {
    Path dir = runDir.resolve(slug(setup.name()) + "-start-" + index);
    Map<String, String> env = env(dir, "webhook");
    int port = Integer.parseInt(env.get("PORT"));
    long spawned = System.nanoTime();
    try (JvmProcess app = JvmProcess.startJar(slug(setup.name()) + "-start-" + index, setup.options(), setup.jar(), env, dir)) {
      long listening = -1;
      long deadline = spawned + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        if (!app.alive()) {
          throw new AssertionError(setup.name() + " exited during start-up:\n" + app.output());
        }
        if (listening < 0 && app.output().contains(EDGE_LISTENING)) {
          listening = System.nanoTime();
        }
        if (ready(port)) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError(setup.name() + " was not ready within 60 s:\n" + app.output());
        }
        TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
      }
      long ready = System.nanoTime();
      if (listening < 0) {
        listening = ready; // the line came with the readiness, between two polls
      }
      double cpuMs = ProcFs.cpuSeconds(app.pid()) * 1000;
      boolean archive = archiveMapped(app.pid());
      stop(app);
      Start start = new Start((ready - spawned) / 1e6, (listening - spawned) / 1e6, cpuMs, archive);
      System.out.printf("[footprint] %s, start %d: ready %.0f ms, edge listening %.0f ms, CPU %.0f ms, archive %s%n", setup.name(),
          index + 1, start.readyMs(), start.listeningMs(), start.cpuMs(), archive ? "mapped" : "not mapped");
      return start;
    }
  }

  /** Webhook and polling mode side by side, each {@code idleSeconds} after ready. */
  private List<Idle> idle(Setup setup) throws Exception {
    Map<String, JvmProcess> apps = new LinkedHashMap<>();
    Map<String, Integer> ports = new LinkedHashMap<>();
    try {
      for (String mode : List.of("webhook", "polling")) {
        Path dir = runDir.resolve(slug(setup.name()) + "-idle-" + mode);
        Map<String, String> env = env(dir, mode);
        ports.put(mode, Integer.parseInt(env.get("PORT")));
        apps.put(mode, JvmProcess.startJar(slug(setup.name()) + "-idle-" + mode, setup.options(), setup.jar(), env, dir));
      }
      List<Idle> idle = new ArrayList<>();
      for (Map.Entry<String, JvmProcess> e : apps.entrySet()) {
        e.getValue().awaitHttp("http://127.0.0.1:" + ports.get(e.getKey()) + "/health/ready", 200, Duration.ofSeconds(60));
      }
      TimeUnit.SECONDS.sleep(idleSeconds);
      for (Map.Entry<String, JvmProcess> e : apps.entrySet()) {
        long pid = e.getValue().pid();
        idle.add(new Idle(e.getKey(), ProcFs.rssKb(pid) / 1024.0, ProcFs.statusKb(pid, "RssAnon") / 1024.0,
            ProcFs.statusKb(pid, "RssFile") / 1024.0));
        System.out.printf("[footprint] %s, %s: idle RSS %.1f MB%n", setup.name(), e.getKey(), ProcFs.rssKb(pid) / 1024.0);
      }
      return idle;
    } finally {
      for (JvmProcess app : apps.values()) {
        stop(app);
      }
    }
  }

  private Map<String, String> env(Path dataDir, String mode) {
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dataDir.resolve("data"));
    env.put("BOT_ROLE", "all");
    env.put("SPOOL", "file");
    if (mode.equals("polling")) {
      env.put("TELEGRAM_MODE", "polling");
      env.remove("TELEGRAM_WEBHOOK_SECRET");
    }
    return env;
  }

  /** One HTTP/1.0 GET on a fresh connection: light enough to poll every few milliseconds. */
  private static boolean ready(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("GET /health/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(12);
      // Vert.x answers an HTTP/1.0 request in HTTP/1.0.
      return new String(head, StandardCharsets.US_ASCII).matches("HTTP/1\\.[01] 200");
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a .jsa other than the JDK's own (classes*.jsa) is mapped into the process. */
  private static boolean archiveMapped(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "maps")).stream()
          .anyMatch(l -> l.endsWith(".jsa") && !l.substring(l.lastIndexOf('/') + 1).startsWith("classes"));
    } catch (IOException e) {
      return false;
    }
  }

  /** The options of an argument file as the java launcher reads them: comments dropped, split at white space. */
  private static List<String> flags(Path argFile) throws IOException {
    List<String> flags = new ArrayList<>();
    for (String line : Files.readAllLines(argFile)) {
      String text = line.replaceFirst("(^|\\s)#.*$", "").trim();
      if (!text.isEmpty()) {
        flags.addAll(List.of(text.split("\\s+")));
      }
    }
    return flags;
  }

  /** The 1-minute load average (/proc/loadavg): other sessions' work on the machine shows here. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static void stop(JvmProcess app) throws InterruptedException {
    try {
      app.terminate(Duration.ofSeconds(20));
    } catch (AssertionError e) {
      app.kill();
    }
  }

  private static String spread(List<Start> starts, java.util.function.ToDoubleFunction<Start> value) {
    double[] v = starts.stream().mapToDouble(value).sorted().toArray();
    return String.format("%.0f / %.0f / %.0f", v[0], v[v.length / 2], v[v.length - 1]);
  }

  private static String slug(String name) {
    return name.replaceAll("[^A-Za-z0-9]+", "-").replaceAll("(^-|-$)", "").toLowerCase();
  }

  private void line(String text) {
    report.append(text).append('\n');
    System.out.println(text);
  }
}
