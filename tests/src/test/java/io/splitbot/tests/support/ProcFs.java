package io.splitbot.tests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What /proc (Linux) says of a process: its resident memory and the CPU time it has used. */
public final class ProcFs {
  /** Clock ticks per second, the unit of {@link #cpuTicks}. */
  public static final long CLOCK_TICKS = clockTicks();

  private ProcFs() {
  }

  /** VmRSS in KiB, or -1 when the process is gone (or this is not Linux). */
  public static long rssKb(long pid) {
    return statusKb(pid, "VmRSS");
  }

  /** A KiB field of /proc/PID/status (VmRSS, RssAnon, RssFile, …), or -1 when the process is gone. */
  public static long statusKb(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** utime + stime in clock ticks, or -1 when the process is gone. */
  public static long cpuTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // Fields after the command name, which is in parentheses and may hold spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** CPU seconds the process has used. */
  public static double cpuSeconds(long pid) {
    return (double) cpuTicks(pid) / CLOCK_TICKS;
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
