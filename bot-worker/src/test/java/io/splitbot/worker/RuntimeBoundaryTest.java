package io.splitbot.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The runtime is the plug-in boundary: nothing under io.splitbot.worker imports the bundled desk module. */
class RuntimeBoundaryTest {
  private static final Pattern DESK_IMPORT = Pattern.compile("^import\\s+(static\\s+)?io\\.splitbot\\.desk\\.", Pattern.MULTILINE);

  @Test
  void noRuntimeSourceImportsTheDesk() throws IOException {
    Path runtime = Path.of("src/main/java/io/splitbot/worker");
    assertTrue(Files.isDirectory(runtime), runtime.toAbsolutePath().toString());
    List<Path> sources;
    try (Stream<Path> files = Files.walk(runtime)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(sources.size() > 50, "the runtime's sources were found: " + sources.size());
    List<String> offenders = sources.stream().filter(p -> {
      try {
        return DESK_IMPORT.matcher(Files.readString(p)).find();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).map(Path::toString).toList();
    assertEquals(List.of(), offenders);
  }
}
