package io.splitbot.tests.bench;

import io.splitbot.tests.support.ProcFs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The soak's rows, one a minute of the measured window: the server's RSS ({@code /proc} VmRSS, sampled each time
 * {@link #tick} runs, once a second), its GC pauses and the heap left after them (from its GC log), its spool depth
 * at the minute's end, the CPU it and the other processes used (all but it and the driver), and the tally's
 * end-to-end times and counts. Each row goes to {@code out} as soon as its
 * minute is over.
 */
final class SoakMinutes {
  private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

  record Row(int minute, boolean partial, double rssMaxMb, double rssLastMb, long heapAfterGcLastMb, long heapAfterGcMinMb,
             int youngGcs, int fullGcs, double maxPauseMs, int spoolDepth, double serverCores, double otherCores, Latency e2e, long replied,
             long sent, long refused) {
  }

  private final long pid;
  private final long driverPid = ProcessHandle.current().pid();
  private final Path gcLog;
  private final SoakTally tally;
  private final IntSupplier spoolDepth;
  private final long lengthNanos;
  private final Consumer<Row> out;
  private final List<Row> rows = new ArrayList<>();
  private long fromNanos = -1;
  private long fromMillis;
  private long rssMaxKb = -1;
  private long rssLastKb = -1;
  /** At the current minute's start: server ticks, driver ticks, machine busy ticks, nanoTime. */
  private long[] cpuAt;

  /** For {@code length} of measured window, in which {@link #start} opens minute 0. */
  SoakMinutes(long pid, Path gcLog, SoakTally tally, IntSupplier spoolDepth, Duration length, Consumer<Row> out) {
    this.pid = pid;
    this.gcLog = gcLog;
    this.tally = tally;
    this.spoolDepth = spoolDepth;
    this.lengthNanos = length.toNanos();
    this.out = out;
  }

  synchronized void start(long nanos, long millis) {
    fromNanos = nanos;
    fromMillis = millis;
    cpuAt = cpuNow();
  }

  private long[] cpuNow() {
    long[] machine = ProcStats.systemTicks();
    return new long[] {ProcFs.cpuTicks(pid), ProcFs.cpuTicks(driverPid), machine == null ? -1 : machine[0], System.nanoTime()};
  }

  /** Samples the RSS into the current minute, after closing every minute that is over. */
  synchronized void tick(long nowNanos) {
    if (fromNanos < 0) {
      return;
    }
    closeUntil(nowNanos);
    if (nowNanos - fromNanos < lengthNanos) {
      long kb = ProcFs.rssKb(pid);
      if (kb > 0) {
        rssMaxKb = Math.max(rssMaxKb, kb);
        rssLastKb = kb;
      }
    }
  }

  /** Closes what is left of the window, the last minute marked partial when the window ends inside it. */
  synchronized List<Row> finish() {
    closeUntil(fromNanos + lengthNanos);
    return List.copyOf(rows);
  }

  /** Minutes in the window, the last one maybe partial. */
  static int count(Duration length) {
    return (int) ((length.toNanos() + MINUTE - 1) / MINUTE);
  }

  /** Closes each minute that ended by {@code nowNanos}; the caller has taken the replies that arrived until then. */
  private void closeUntil(long nowNanos) {
    while (rows.size() * MINUTE < lengthNanos && fromNanos + Math.min((rows.size() + 1) * MINUTE, lengthNanos) <= nowNanos) {
      close(rows.size());
    }
  }

  private void close(int k) {
    long start = fromMillis + k * 60_000L;
    long end = Math.min(start + 60_000L, fromMillis + lengthNanos / 1_000_000);
    long lastAfter = -1;
    long minAfter = Long.MAX_VALUE;
    int young = 0;
    int full = 0;
    double maxPause = 0;
    try {
      for (GcLog.Pause p : GcLog.pauses(gcLog)) {
        if (p.atMillis() < start || p.atMillis() >= end) {
          continue;
        }
        young += p.kind().equals("Young") ? 1 : 0;
        full += p.kind().equals("Full") ? 1 : 0;
        maxPause = Math.max(maxPause, p.ms());
        if (p.afterMb() >= 0) {
          lastAfter = p.afterMb();
          minAfter = Math.min(minAfter, p.afterMb());
        }
      }
    } catch (IOException | RuntimeException e) {
      young = -1;
      full = -1;
    }
    long[] cpu = cpuNow();
    double ticks = (cpu[3] - cpuAt[3]) / 1e9 * ProcFs.CLOCK_TICKS; // one core's ticks in the minute
    double server = (cpu[0] - cpuAt[0]) / ticks;
    double other = cpu[2] < 0 || cpuAt[2] < 0 ? Double.NaN : Math.max(0, (cpu[2] - cpuAt[2]) / ticks - server - (cpu[1] - cpuAt[1]) / ticks);
    cpuAt = cpu;
    Row row = new Row(k + 1, (k + 1) * MINUTE > lengthNanos, rssMaxKb / 1024.0, rssLastKb / 1024.0, lastAfter,
        minAfter == Long.MAX_VALUE ? -1 : minAfter, young, full, maxPause, spoolDepth.getAsInt(), server, other, tally.minute(k), tally.replied(), tally.sent(),
        tally.refused());
    rows.add(row);
    rssMaxKb = -1;
    rssLastKb = -1;
    out.accept(row);
  }
}
