package io.splitbot.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
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
    int pauses = 0;
    double total = 0;
    double max = 0;
    try {
      for (String line : Files.readAllLines(log)) {
        Matcher m = PAUSE.matcher(line);
        if (!m.find()) {
          continue;
        }
        long at = OffsetDateTime.parse(m.group(1), TIME).toInstant().toEpochMilli();
        if (at < fromMillis || at > toMillis) {
          continue;
        }
        double ms = Double.parseDouble(m.group(2));
        pauses++;
        total += ms;
        max = Math.max(max, ms);
      }
    } catch (IOException | RuntimeException e) {
      return new GcLog(-1, Double.NaN, Double.NaN);
    }
    return new GcLog(pauses, total, max);
  }

  @Override
  public String toString() {
    return pauses < 0 ? "–" : String.format("%d, max %.1f ms", pauses, maxMs);
  }
}
