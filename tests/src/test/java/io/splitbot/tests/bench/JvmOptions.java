package io.splitbot.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.splitbot.tests.support.JvmProcess;

/**
 * The JVM flags the README and the Dockerfile start bot-worker.jar with: the Java argument file {@code jvm.options} at
 * the repository root ({@code java @jvm.options -jar ...}), with the flags it names for the report.
 */
record JvmOptions(Path file, List<String> flags) {

  static JvmOptions find() {
    Path file = JvmProcess.jvmOptions();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: the memory benchmark starts bot-worker.jar as the README does,"
          + " `java @jvm.options -jar bot-worker/target/bot-worker.jar`, so it needs that file (JVM flags, one a line)");
    }
    List<String> flags = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        // The launcher's argument-file rules, as far as showing the flags needs them: '#' starts a comment.
        String text = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
        for (String flag : text.trim().split("\\s+")) {
          if (!flag.isEmpty()) {
            flags.add(flag);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (flags.isEmpty()) {
      throw new IllegalStateException(file + " names no JVM flag: the memory benchmark would measure the JVM's defaults instead");
    }
    return new JvmOptions(file, List.copyOf(flags));
  }

  /** What goes before {@code -jar}: the file itself, so the JVM reads it as it does for an operator. */
  List<String> argument() {
    return List.of("@" + file);
  }
}
