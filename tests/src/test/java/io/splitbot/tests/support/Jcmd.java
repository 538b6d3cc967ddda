package io.splitbot.tests.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code jcmd <pid> <command>} with the running JDK's jcmd, for the benchmarks' looks inside a server JVM. */
public final class Jcmd {
  private Jcmd() {
  }

  /** The command's output (standard error included); fails if jcmd does not finish within 60 s. */
  public static String run(long pid, String... command) throws Exception {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
    line.add(String.valueOf(pid));
    line.addAll(List.of(command));
    Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + String.join(" ", command) + " did not finish within 60 s");
    }
    return out;
  }
}
