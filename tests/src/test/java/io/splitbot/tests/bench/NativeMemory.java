package io.splitbot.tests.bench;

import io.splitbot.tests.support.Jcmd;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a JVM's memory goes, by Native Memory Tracking (the JVM started with
 * {@code -XX:NativeMemoryTracking=summary}): the committed KB of each category of {@code jcmd VM.native_memory summary}.
 */
record NativeMemory(long totalCommittedKb, Map<String, Long> committedKb, String report) {
  /** The JVM flag that turns the tracking on. */
  static final String OPTION = "-XX:NativeMemoryTracking=summary";

  private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final Pattern CATEGORY = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

  static NativeMemory of(long pid) throws Exception {
    return parse(Jcmd.run(pid, "VM.native_memory", "summary"));
  }

  static NativeMemory parse(String report) {
    Matcher total = TOTAL.matcher(report);
    if (!total.find()) {
      throw new IllegalStateException("no Native Memory Tracking summary in:\n" + report);
    }
    Map<String, Long> categories = new LinkedHashMap<>();
    Matcher m = CATEGORY.matcher(report);
    while (m.find()) {
      categories.put(m.group(1).trim(), Long.parseLong(m.group(3)));
    }
    return new NativeMemory(Long.parseLong(total.group(2)), categories, report);
  }

  /** "Java Heap 61 MB, Class 12 MB, …", the largest first, categories under 1 MB left out. */
  String line() {
    StringBuilder out = new StringBuilder();
    committedKb.entrySet().stream().filter(e -> e.getValue() >= 1024)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(Math.round(e.getValue() / 1024.0)).append(" MB"));
    return out.toString();
  }
}
