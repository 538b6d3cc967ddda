package io.splitbot.tests.bench;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.ProcFs;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory under sustained load and under a flood (issue 14): bot-worker.jar with BOT_ROLE=all, SPOOL=file and its
 * bundled bot (the service desk), in webhook mode against the fake Bot API in this JVM.
 *
 * <ol>
 *   <li>soak: the jar started with the flags of the repository's {@code jvm.options} exactly ({@link JvmOptions}),
 *       plus a GC log through JAVA_TOOL_OPTIONS; an open loop of {@code /echo u<id>} at {@code bench.soakRate} over
 *       {@code bench.chats} chats for {@code bench.soakSeconds} after {@code bench.soakWarmup}. A row a minute
 *       ({@link SoakMinutes}); at the end the RSS max, the slope of the heap left after GC, the replies lost and
 *       doubled, and the verdict against 160 MB;</li>
 *   <li>flood: the same jar twice, with plain {@code java -jar} (the JVM's own ergonomics on this machine) and with
 *       {@code jvm.options}: a closed loop of {@code bench.connections} connections posting the realistic corpus as
 *       fast as it goes for {@code bench.floodSeconds}, the spool at its default bound, so the edge answers 503 when
 *       it is full; then the spool is left to drain. Peak RSS, heap, acked/s and non-2xx answers of each.</li>
 * </ol>
 *
 * <p>It prints figures and asserts nothing; {@link SoakRun} is its entry point (docs/BENCHMARKS.md). Knobs, as system
 * properties (defaults in brackets): {@code bench.soakCases} [soak,flood], {@code bench.soakRate} [1000/s],
 * {@code bench.soakWarmup} [30 s], {@code bench.soakSeconds} [600], {@code bench.floodSeconds} [60],
 * {@code bench.connections} [50], {@code bench.chats} [1000], {@code bench.nmt} [false: Native Memory Tracking in the soak JVM, its summary at the end], {@code bench.dir} [target/benchmark].
 */
public final class SoakBenchmark {
  private static final double RSS_TARGET_MB = 160;
  /** Issue 14's figure for the flood with the JVM's default ergonomics, before the speed work. */
  private static final double FLOOD_RSS_BEFORE_MB = 502;

  private final List<String> cases = List.of(System.getProperty("bench.soakCases", "soak,flood").split(","));
  private final int soakRate = Integer.getInteger("bench.soakRate", 1000);
  private final Duration soakWarmup = Duration.ofSeconds(Integer.getInteger("bench.soakWarmup", 30));
  private final Duration soakLength = Duration.ofSeconds(Integer.getInteger("bench.soakSeconds", 600));
  private final Duration floodLength = Duration.ofSeconds(Integer.getInteger("bench.floodSeconds", 60));
  private final int connections = Integer.getInteger("bench.connections", 50);
  private final int chats = Integer.getInteger("bench.chats", 1000);
  /** Native Memory Tracking in the soak's JVM, to show where its RSS goes (it costs a little memory of its own). */
  private final boolean nmt = Boolean.getBoolean("bench.nmt");
  private final long driverPid = ProcessHandle.current().pid();

  private final JvmOptions options;
  private final Path runDir;
  private final Path jar;
  private final Vertx driver;
  private final FakeTelegramApi fake;
  private final Corpus corpus;
  private final AtomicLong ids = new AtomicLong(1_000_000);
  private final StringBuilder report = new StringBuilder();

  record FloodRow(String name, String jvm, ClosedLoop.Result result, double rssPeakMb, double rssAfterMb, long heapUsedMaxMb,
                  long heapCommittedMaxMb, GcLog gc, int depthAtEnd, double drainSeconds, double serverCores, double otherCores) {
  }

  private SoakBenchmark() throws IOException {
    options = JvmOptions.find();
    runDir = Path.of(System.getProperty("bench.dir", "target/benchmark"))
        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))).toAbsolutePath();
    Files.createDirectories(runDir);
    // A copy, so a rebuild in the working tree during the run cannot swap the jar under a running JVM.
    jar = Files.copy(JvmProcess.workerJar(), Files.createDirectories(runDir.resolve("jars")).resolve("bot-worker.jar"));
    Files.copy(options.file(), runDir.resolve("jvm.options"));
    driver = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    fake = new FakeTelegramApi(driver, TestEnv.TOKEN);
    corpus = Corpus.realistic(4096, chats, 42);
  }

  /** Runs the cases and prints the figures (also written to soak.md in the run folder). */
  static void runAll() throws Exception {
    // Should the run be interrupted (Ctrl-C, a killed Maven), take the servers it started down with it.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    SoakBenchmark bench = new SoakBenchmark();
    try {
      bench.run();
    } finally {
      bench.driver.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void run() throws Exception {
    long began = System.nanoTime();
    fake.start().await();
    line("# splitbot memory under sustained load and under a flood (issue 14), " + LocalDateTime.now().withNano(0));
    line("");
    line("machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), "
        + totalMemoryGb() + " GB RAM, java " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version"));
    line("commit: " + commit());
    line("server: bot-worker.jar, BOT_ROLE=all, SPOOL=file, the bundled bot (service desk), webhook mode against the fake Bot API"
        + " in the driver JVM; a GC log through JAVA_TOOL_OPTIONS (-Xlog:gc)");
    line("jvm.options (" + options.file() + "): " + String.join(" ", options.flags()));
    line("run folder (jar, logs, GC logs, data dirs): " + runDir);
    line("");
    if (cases.contains("soak")) {
      soak();
    }
    List<FloodRow> floods = new ArrayList<>();
    if (cases.contains("flood")) {
      floods.add(flood("plain java -jar (default ergonomics)", List.of()));
      floods.add(flood("java @jvm.options -jar", options.argument()));
      floodTable(floods);
    }
    line(String.format("whole run: %.0f s", (System.nanoTime() - began) / 1e9));
    Files.writeString(runDir.resolve("soak.md"), report.toString());
    System.out.println("[soak] written " + runDir.resolve("soak.md"));
  }

  // ------------------------------------------------------------------ soak

  private void soak() throws Exception {
    String name = "soak";
    Map<String, String> env = serverEnv(name);
    int port = Integer.parseInt(env.get("PORT"));
    line("## Soak: " + soakRate + " updates/s of `/echo u<id>` over " + chats + " chats for " + soakLength.toSeconds() + " s after a "
        + soakWarmup.toSeconds() + " s warm-up (a third each at a quarter, half and all of the rate)");
    line("");
    line("started as: java @jvm.options -jar bot-worker.jar (" + String.join(" ", options.flags()) + ")");
    line("");
    line("| minute | RSS max MB | RSS last MB | heap after GC, last MB | heap after GC, min MB | young GCs | full GCs | GC max pause ms "
        + "| spool depth | server CPU | other CPU | e2e p50 ms | e2e p99 ms | replied so far | sent so far | non-2xx so far |");
    line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    try (JvmProcess app = JvmProcess.startJar(name, options.argument(), jar, env, runDir)) {
      app.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(60));
      takeCalls(call -> { }); // the start-up calls
      rampUp(port);
      long firstId = ids.getAndAdd(1_000_000_000L);
      int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) soakRate * (soakWarmup.toSeconds() + soakLength.toSeconds() + 1));
      SoakTally tally = new SoakTally(firstId, capacity, SoakMinutes.count(soakLength));
      SoakMinutes minutes = new SoakMinutes(app.pid(), gcLog(name), tally, () -> SpoolDepth.of(port), soakLength, this::minuteLine);
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put("server", app.pid());
      pids.put("driver", driverPid);
      long[] windowMillis = new long[1];
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      try (ProcStats stats = new ProcStats(pids)) {
        ticker.scheduleAtFixedRate(() -> tick(tally, minutes), 1, 1, TimeUnit.SECONDS);
        OpenLoop.Result r = new OpenLoop(driver, port, connections, chats).listener(tally)
            .run(null, firstId, soakRate, soakWarmup.dividedBy(3), soakLength, Duration.ZERO, () -> {
              long now = System.nanoTime();
              windowMillis[0] = System.currentTimeMillis();
              tally.measureFrom(now);
              minutes.start(now, System.currentTimeMillis());
              stats.startWindow();
            }, stats::endWindow);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!tally.settled() && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(250);
        }
        ticker.shutdown();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        tick(tally, minutes);
        soakSummary(minutes.finish(), fullGcs(gcLog(name), windowMillis[0]), tally, r, stats, stats.gc(gcLog(name)));
        if (nmt) {
          nativeMemory(app.pid(), name);
        }
      } finally {
        ticker.shutdownNow();
      }
      stop(app);
    }
  }

  /**
   * A cold JVM is slow until the JIT has compiled the hot paths, and an open loop that starts cold at a rate near the
   * worker's capacity builds a backlog it needs minutes to work off. So the warm-up climbs: a third of it at a quarter
   * of the rate, a third at half; the last third, at the full rate, is the measured loop's own warm-up.
   */
  private void rampUp(int port) throws Exception {
    Duration step = soakWarmup.dividedBy(3);
    for (int share : new int[] {4, 2}) {
      int rate = Math.max(1, soakRate / share);
      // The fake is emptied once a second while the soak runs; these replies are not the tally's.
      new OpenLoop(driver, port, connections, chats).run(null, ids.getAndAdd((long) rate * (step.toSeconds() + 1)), rate, Duration.ZERO,
          step, Duration.ZERO, () -> { }, () -> { });
      takeCalls(call -> { });
    }
  }

  /** Once a second: the replies the fake has recorded, then the RSS and any minute that is over. */
  private void tick(SoakTally tally, SoakMinutes minutes) {
    try {
      long now = System.nanoTime(); // before taking the replies: a minute closes only when all of its replies are in
      takeCalls(tally::call);
      minutes.tick(now);
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: say so and carry on.
      System.out.println("[soak] tick failed: " + e);
    }
  }

  private void minuteLine(SoakMinutes.Row m) {
    line(String.format("| %d%s | %.0f | %.0f | %s | %s | %d | %d | %.1f | %,d | %.2f | %.2f | %s | %s | %,d | %,d | %,d |", m.minute(),
        m.partial() ? " (partial)" : "", m.rssMaxMb(), m.rssLastMb(), mb(m.heapAfterGcLastMb()), mb(m.heapAfterGcMinMb()), m.youngGcs(),
        m.fullGcs(), m.maxPauseMs(), m.spoolDepth(), m.serverCores(), m.otherCores(), Latency.fmt(m.e2e().p50()), Latency.fmt(m.e2e().p99()), m.replied(), m.sent(), m.refused()));
  }

  /**
   * {minute, heap after} of each full GC in the measured window after its first minute: with the serial collector
   * the heap left after a full GC is the live set, where the minute's lowest may still hold promoted garbage.
   */
  private List<double[]> fullGcs(Path gcLog, long fromMillis) throws IOException {
    long end = fromMillis + soakLength.toMillis();
    return GcLog.pauses(gcLog).stream()
        .filter(p -> p.kind().equals("Full") && p.afterMb() >= 0 && p.atMillis() >= fromMillis + 60_000 && p.atMillis() <= end)
        .map(p -> new double[] {(p.atMillis() - fromMillis) / 60_000.0, p.afterMb()}).toList();
  }

  private void soakSummary(List<SoakMinutes.Row> rows, List<double[]> fullGcs, SoakTally tally, OpenLoop.Result r, ProcStats stats,
      GcLog gc) {
    double rssEachSecond = rows.stream().mapToDouble(SoakMinutes.Row::rssMaxMb).max().orElse(Double.NaN);
    double rssFine = stats.maxRssMb("server");
    double rss = Math.max(rssEachSecond, rssFine);
    line("");
    line(String.format("- RSS max over the window: %.0f MB sampled each second (%.0f MB sampled every 200 ms)", rssEachSecond, rssFine));
    double slope = heapSlope(rows);
    line(String.format("- heap after GC (the lowest of each minute): minute 1 %s MB, minute %d %s MB; slope over minutes 2–%d: %s MB/minute"
            + " (least squares)", mb(rows.isEmpty() ? -1 : rows.get(0).heapAfterGcMinMb()), rows.size(),
        mb(rows.isEmpty() ? -1 : rows.get(rows.size() - 1).heapAfterGcMinMb()), rows.size(),
        Double.isNaN(slope) ? "– (needs 3 minutes)" : String.format("%+.2f", slope)));
    double fullSlope = slope(fullGcs);
    line(String.format("- heap after full GC, after minute 1: %d full GCs, first %s MB, last %s MB; slope %s MB/minute (least squares)",
        fullGcs.size(), fullGcs.isEmpty() ? "–" : String.format("%.0f", fullGcs.get(0)[1]),
        fullGcs.isEmpty() ? "–" : String.format("%.0f", fullGcs.get(fullGcs.size() - 1)[1]),
        Double.isNaN(fullSlope) ? "– (needs 2 full GCs)" : String.format("%+.2f", fullSlope)));
    line(String.format("- updates sent %,d (the last third of the warm-up and the window), non-2xx %,d; replied %,d; lost (acked, no reply) %,d; doubled %,d",
        tally.sent(), tally.refused(), tally.replied(), tally.lost(), tally.doubled()));
    Latency e2e = tally.window();
    line(String.format("- e2e over the window: p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms; ack p50 %s ms, p99 %s ms; driver lag max %.1f ms",
        Latency.fmt(e2e.p50()), Latency.fmt(e2e.p99()), Latency.fmt(e2e.p999()), Latency.fmt(e2e.max()),
        Latency.fmt(r.ack().p50()), Latency.fmt(r.ack().p99()), r.maxDriverLagMs()));
    line(String.format("- GC pauses over the window: %s; CPU: server %.2f cores, driver %.2f, other processes %.2f",
        gc, stats.cores("server"), stats.cores("driver"), stats.otherCores()));
    line(String.format("- target: RSS ≤ %.0f MB for the one-JVM case at %,d updates/s for %d minutes, heap flat: %.0f MB → %s", RSS_TARGET_MB,
        soakRate, soakLength.toMinutes(), rss, rss <= RSS_TARGET_MB ? "met" : String.format("MISSED by %.0f MB", rss - RSS_TARGET_MB)));
    line("");
  }

  /** MB per minute of the minutes' lowest heap after GC, least squares over the minutes after the first; NaN with fewer than two. */
  static double heapSlope(List<SoakMinutes.Row> rows) {
    return slope(rows.stream().skip(1).filter(r -> r.heapAfterGcMinMb() >= 0)
        .map(r -> new double[] {r.minute(), r.heapAfterGcMinMb()}).toList());
  }

  /** Least-squares slope of {x, y} points; NaN with fewer than two. */
  static double slope(List<double[]> points) {
    int n = points.size();
    if (n < 2) {
      return Double.NaN;
    }
    double mx = points.stream().mapToDouble(p -> p[0]).average().orElseThrow();
    double my = points.stream().mapToDouble(p -> p[1]).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (double[] p : points) {
      sxy += (p[0] - mx) * (p[1] - my);
      sxx += (p[0] - mx) * (p[0] - mx);
    }
    return sxy / sxx;
  }

  // ------------------------------------------------------------------ flood

  private FloodRow flood(String name, List<String> jvmFlags) throws Exception {
    String slug = jvmFlags.isEmpty() ? "flood-plain" : "flood-jvm-options";
    System.out.println("[soak] flood, " + name + " ...");
    Map<String, String> env = serverEnv(slug);
    int port = Integer.parseInt(env.get("PORT"));
    try (JvmProcess app = JvmProcess.startJar(slug, jvmFlags, jar, env, runDir)) {
      app.awaitHttp("http://127.0.0.1:" + port + "/health/ready", 200, Duration.ofSeconds(60));
      takeCalls(call -> { });
      Map<String, Long> pids = new LinkedHashMap<>();
      pids.put("server", app.pid());
      pids.put("driver", driverPid);
      long[] window = new long[2];
      // The bot's replies pile up in the fake otherwise: empty it once a second.
      ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
      try (ProcStats stats = new ProcStats(pids)) {
        ticker.scheduleAtFixedRate(() -> takeCalls(call -> { }), 1, 1, TimeUnit.SECONDS);
        ClosedLoop.Result r = new ClosedLoop(driver, port, connections, corpus, ids).run(Duration.ZERO, floodLength, () -> {
          window[0] = System.currentTimeMillis();
          stats.startWindow();
        }, () -> { });
        int depth = SpoolDepth.of(port);
        // Keep sampling while the worker drains the backlog: the peak may come after the flood.
        long drainStart = System.nanoTime();
        long deadline = drainStart + TimeUnit.SECONDS.toNanos(120);
        while (SpoolDepth.of(port) != 0 && System.nanoTime() < deadline) {
          TimeUnit.MILLISECONDS.sleep(250);
        }
        double drain = (System.nanoTime() - drainStart) / 1e9;
        stats.endWindow();
        window[1] = System.currentTimeMillis();
        double rssAfter = ProcFs.rssKb(app.pid()) / 1024.0;
        long usedMax = -1;
        long committedMax = -1;
        for (GcLog.Pause p : GcLog.pauses(gcLog(slug))) {
          if (p.atMillis() >= window[0] && p.atMillis() <= window[1]) {
            usedMax = Math.max(usedMax, p.beforeMb());
            committedMax = Math.max(committedMax, p.committedMb());
          }
        }
        FloodRow row = new FloodRow(name, collectorAndMaxHeap(jvmFlags), r, stats.maxRssMb("server"), rssAfter, usedMax, committedMax,
            stats.gc(gcLog(slug)), depth, drain, stats.cores("server"), stats.otherCores());
        System.out.printf("[soak] flood, %s: %.0f acked/s, non-2xx %d %s, RSS peak %.0f MB%n", name, r.perSecond(), r.errors(),
            r.errorKinds(), row.rssPeakMb());
        stop(app);
        return row;
      } finally {
        ticker.shutdownNow();
      }
    }
  }

  private void floodTable(List<FloodRow> rows) {
    line("## Flood: closed loop, " + connections + " connections, the realistic corpus as fast as it goes for " + floodLength.toSeconds()
        + " s, SPOOL_MAX_UPDATES at its default; then the spool drains");
    line("");
    line("corpus: " + corpus.describe());
    line("");
    line("| started as | collector, max heap | acked/s | acked | non-2xx | RSS peak MB | RSS after drain MB | heap used max MB "
        + "| heap committed max MB | GC pauses | spool depth at the end | drain s | server CPU | other CPU |");
    line("|---|---|---:|---:|---|---:|---:|---:|---:|---|---:|---:|---:|---:|");
    for (FloodRow row : rows) {
      ClosedLoop.Result r = row.result();
      line(String.format("| %s | %s | %,.0f | %,d | %,d%s | %.0f | %.0f | %s | %s | %s | %,d | %.1f | %.2f | %.2f |", row.name(), row.jvm(),
          r.perSecond(), r.acked(), r.errors(), r.errorKinds().isEmpty() ? "" : " " + r.errorKinds(), row.rssPeakMb(), row.rssAfterMb(),
          mb(row.heapUsedMaxMb()), mb(row.heapCommittedMaxMb()), row.gc(), row.depthAtEnd(), row.drainSeconds(), row.serverCores(),
          row.otherCores()));
    }
    line("");
    line("RSS peak and GC over the flood and the drain after it; heap used max is the largest heap in use before a GC.");
    FloodRow plain = rows.get(0);
    line(String.format("- flood peak RSS with the JVM's default ergonomics: %.0f MB (issue 14: %.0f MB before the speed work); with"
        + " jvm.options: %.0f MB", plain.rssPeakMb(), FLOOD_RSS_BEFORE_MB, rows.get(1).rssPeakMb()));
    line("");
  }

  // ------------------------------------------------------------------ helpers

  private Map<String, String> serverEnv(String name) {
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), runDir.resolve(name));
    env.put("BOT_ROLE", "all");
    env.put("SPOOL", "file");
    env.put("JAVA_TOOL_OPTIONS", GcLog.option(gcLog(name)) + (nmt && name.equals("soak") ? " " + NativeMemory.OPTION : ""));
    return env;
  }

  /** The soak JVM's memory by category at the end of the window; the whole report goes to the run folder. */
  private void nativeMemory(long pid, String name) throws Exception {
    NativeMemory memory = NativeMemory.of(pid);
    Files.writeString(runDir.resolve(name + "-nmt.txt"), memory.report());
    line(String.format("- native memory tracking at the end of the window: %.0f MB committed in all: %s (the whole report: %s-nmt.txt)",
        memory.totalCommittedKb() / 1024.0, memory.line(), name));
    line("");
  }

  private Path gcLog(String name) {
    return runDir.resolve(name + "-gc.log");
  }

  /**
   * Takes what the fake Bot API recorded and empties it, so that its memory (the driver's) stays flat over a long
   * run. Under the fake's own lock, which its methods hold: no call can fall between the reading and the reset.
   */
  private void takeCalls(Consumer<FakeTelegramApi.RecordedCall> sink) {
    List<FakeTelegramApi.RecordedCall> calls;
    synchronized (fake) {
      calls = fake.allCalls();
      fake.reset();
    }
    calls.forEach(sink);
  }

  private static final Pattern MAX_HEAP = Pattern.compile("\\bMaxHeapSize\\s*=\\s*(\\d+)");
  private static final Pattern COLLECTOR = Pattern.compile("\\bUse(Serial|Parallel|G1|Z|Shenandoah|Epsilon)GC\\s*=\\s*true");

  /** The collector and the maximum heap the JVM picks with these flags on this machine (-XX:+PrintFlagsFinal). */
  private static String collectorAndMaxHeap(List<String> jvmFlags) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmFlags);
    command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    Matcher max = MAX_HEAP.matcher(out);
    Matcher gc = COLLECTOR.matcher(out);
    return (gc.find() ? gc.group(1) : "?") + ", " + (max.find() ? Long.parseLong(max.group(1)) / (1024 * 1024) + " MB" : "?");
  }

  /** The commit the working tree is at, "+ changes" when tracked files differ from it. */
  private String commit() {
    Path root = options.file().getParent();
    String head = git(root, "rev-parse", "--short", "HEAD");
    String changes = git(root, "status", "--porcelain", "--untracked-files=no");
    return head.isEmpty() ? "unknown" : head + (changes.isEmpty() ? "" : " + uncommitted changes");
  }

  private static String git(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static long totalMemoryGb() {
    try {
      String line = Files.readAllLines(Path.of("/proc/meminfo")).get(0); // MemTotal:  24683520 kB
      return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static void stop(JvmProcess process) throws InterruptedException {
    try {
      process.terminate(Duration.ofSeconds(20));
    } catch (AssertionError e) {
      process.kill();
    }
  }

  private static String mb(long value) {
    return value < 0 ? "–" : String.valueOf(value);
  }

  /** The soak's rows come from its ticker thread, the rest from the test's. */
  private synchronized void line(String text) {
    System.out.println(text);
    report.append(text).append('\n');
  }
}
