package io.splitbot.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GC pauses of a server JVM, from the log that {@code -Xlog:gc:file=<log>:time} writes (passed through
 * JAVA_TOOL_OPTIONS, so the jars run with their usual flags), counted inside a wall-clock window.
 */
record GcLog(int pauses, double totalMs, double maxMs) {

  private static final Pattern PAUSE = Pattern.compile("^\\[([^\\]]+)\\].*Pause.* (\\d+(?:\\.\\d+)?)ms\\s*$");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  /** The JAVA_TOOL_OPTIONS value that makes a JVM write its GC log to {@code log}. */
  static String option(Path log) {
    return "-Xlog:gc:file=" + log + ":time";
  }

  static GcLog read(Path log, long fromMillis, long toMillis) {
    List<Pause> all;
    try {
      all = pauses(log);
    } catch (IOException | RuntimeException e) {
      return new GcLog(-1, Double.NaN, Double.NaN);
    }
    int pauses = 0;
    double total = 0;
    double max = 0;
    for (Pause p : all) {
      if (p.atMillis() >= fromMillis && p.atMillis() <= toMillis) {
        pauses++;
        total += p.ms();
        max = Math.max(max, p.ms());
      }
    }
    return new GcLog(pauses, total, max);
  }

  /**
   * One pause: when (epoch ms), its kind as the log names it ("Young", "Full", "Remark", ...), how long, and the heap
   * in use before and after it and the heap committed, in MB as -Xlog:gc prints them (-1 where the line has none).
   */
  record Pause(long atMillis, String kind, double ms, long beforeMb, long afterMb, long committedMb) {
  }

  private static final Pattern KIND = Pattern.compile("Pause (\\w+)");
  private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  /** Every pause in the log, in order. */
  static List<Pause> pauses(Path log) throws IOException {
    List<Pause> pauses = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) {
        continue;
      }
      long at = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
      Matcher kind = KIND.matcher(line);
      Matcher heap = HEAP.matcher(line);
      boolean sized = heap.find();
      pauses.add(new Pause(at, kind.find() ? kind.group(1) : "?", Double.parseDouble(m.group(2)),
          sized ? mb(heap.group(1), heap.group(2)) : -1, sized ? mb(heap.group(3), heap.group(4)) : -1,
          sized ? mb(heap.group(5), heap.group(6)) : -1));
    }
    return pauses;
  }

  private static long mb(String value, String unit) {
    long v = Long.parseLong(value);
    return switch (unit) {
      case "K" -> v / 1024;
      case "G" -> v * 1024;
      default -> v;
    };
  }

  @Override
  public String toString() {
    return pauses < 0 ? "–" : String.format("%d, max %.1f ms", pauses, maxMs);
  }
}
