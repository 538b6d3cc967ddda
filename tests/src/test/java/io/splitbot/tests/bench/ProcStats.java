package io.splitbot.tests.bench;

import io.splitbot.tests.support.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Samples processes from /proc (Linux): resident set size (VmRSS) every 200 ms while a window is open, keeping the
 * maximum, and CPU time (utime + stime) at the window's start and end.
 */
final class ProcStats implements AutoCloseable {
  private static final long CLOCK_TICKS = ProcFs.CLOCK_TICKS;

  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final Map<String, Long> maxRssKb = new ConcurrentHashMap<>();
  private final Map<String, Long> cpuAtStart = new ConcurrentHashMap<>();
  private final Map<String, Long> cpuAtEnd = new ConcurrentHashMap<>();
  private volatile long[] systemAtStart;
  private volatile long[] systemAtEnd;
  private volatile boolean sampling;
  private volatile long windowStart;
  private volatile long windowEnd;
  private volatile long windowStartMillis;
  private volatile long windowEndMillis;
  private final Thread sampler;

  ProcStats(Map<String, Long> pids) {
    this.pids.putAll(pids);
    sampler = new Thread(this::loop, "bench-proc-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  void startWindow() {
    windowStart = System.nanoTime();
    windowStartMillis = System.currentTimeMillis();
    pids.forEach((name, pid) -> cpuAtStart.put(name, ProcFs.cpuTicks(pid)));
    systemAtStart = systemTicks();
    sampling = true;
  }

  void endWindow() {
    sampling = false;
    windowEnd = System.nanoTime();
    windowEndMillis = System.currentTimeMillis();
    pids.forEach((name, pid) -> cpuAtEnd.put(name, ProcFs.cpuTicks(pid)));
    systemAtEnd = systemTicks();
  }

  /**
   * Cores the whole machine was busy in the window (all processes, from /proc/stat), minus those of the sampled
   * processes: what else ran beside the benchmark. NaN if unknown.
   */
  double otherCores() {
    long[] a = systemAtStart;
    long[] b = systemAtEnd;
    if (a == null || b == null || windowEnd <= windowStart) {
      return Double.NaN;
    }
    double busy = (b[0] - a[0]) / (double) CLOCK_TICKS / ((windowEnd - windowStart) / 1e9);
    double ours = 0;
    for (String name : pids.keySet()) {
      double c = cores(name);
      if (!Double.isNaN(c)) {
        ours += c;
      }
    }
    return Math.max(0, busy - ours);
  }

  /** {busy ticks, total ticks} of all CPUs, or null. */
  static long[] systemTicks() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0); // cpu user nice system idle iowait irq softirq steal ...
      String[] f = cpu.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** GC pauses the JVM logged to {@code gcLog} inside the window. */
  GcLog gc(Path gcLog) {
    return GcLog.read(gcLog, windowStartMillis, windowEndMillis);
  }

  /** Max VmRSS in MiB seen in the window, or -1. */
  double maxRssMb(String name) {
    Long kb = maxRssKb.get(name);
    return kb == null ? -1 : kb / 1024.0;
  }

  /** Average cores used in the window (1.0 = one core busy all the time). */
  double cores(String name) {
    Long a = cpuAtStart.get(name);
    Long b = cpuAtEnd.get(name);
    if (a == null || b == null || a < 0 || b < 0 || windowEnd <= windowStart) {
      return Double.NaN;
    }
    double cpuSeconds = (b - a) / (double) CLOCK_TICKS;
    return cpuSeconds / ((windowEnd - windowStart) / 1e9);
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      if (sampling) {
        pids.forEach((name, pid) -> {
          long kb = ProcFs.rssKb(pid);
          if (kb > 0) {
            maxRssKb.merge(name, kb, Math::max);
          }
        });
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }




  @Override
  public void close() {
    sampler.interrupt();
  }
}
