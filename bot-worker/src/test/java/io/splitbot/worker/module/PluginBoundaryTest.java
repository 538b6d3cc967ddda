package io.splitbot.worker.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The plug-in boundary, read from the sources: the runtime (worker, edge, shared) never refers to the bundled desk,
 * and the desk reaches into the worker only through the public bot API, the storage layer and profiles.
 */
class PluginBoundaryTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  /** A reference to a package in code: an import, or a fully qualified name outside a string literal. */
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.splitbot\\.([a-z]+(?:\\.[a-z]+)*)");

  @Test
  void theRuntimeNeverRefersToTheDesk() {
    List<String> offences = new ArrayList<>();
    for (Path dir : List.of(ROOT.resolve("bot-worker/src/main/java/io/splitbot/worker"),
        ROOT.resolve("webhook-server/src/main/java"), ROOT.resolve("shared/src/main/java"))) {
      for (Reference r : references(dir)) {
        if (r.target().startsWith("desk")) {
          offences.add(r.toString());
        }
      }
    }
    assertTrue(sourcesFound(), "no sources found under " + ROOT);
    assertEquals(List.of(), offences, "runtime code must not use the desk; it is loaded as a BotModule");
  }

  @Test
  void theDeskUsesOnlyThePublicApiOfTheWorker() {
    List<String> offences = new ArrayList<>();
    for (Reference r : references(ROOT.resolve("bot-worker/src/main/java/io/splitbot/desk"))) {
      String t = r.target();
      boolean allowed = !t.startsWith("worker") || t.equals("worker.bot") || t.startsWith("worker.bot.")
          || t.equals("worker.storage") || t.startsWith("worker.storage.") || t.equals("worker.profile");
      if (!allowed) {
        offences.add(r.toString());
      }
    }
    assertEquals(List.of(), offences, "the desk may use io.splitbot.worker.bot, .storage and .profile only");
  }

  private static boolean sourcesFound() {
    return Files.isDirectory(ROOT.resolve("bot-worker/src/main/java/io/splitbot/desk"));
  }

  private record Reference(Path file, int line, String target) {
    @Override
    public String toString() {
      return ROOT.relativize(file) + ":" + line + " uses io.splitbot." + target;
    }
  }

  private static List<Reference> references(Path dir) {
    List<Reference> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String code = lines.get(i).replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
          if (code.trim().startsWith("*") || code.trim().startsWith("//")) {
            continue; // javadoc and comments may name anything
          }
          Matcher m = REFERENCE.matcher(code);
          while (m.find()) {
            // the package part only: io.splitbot.desk.bot.DeskBot → desk.bot
            found.add(new Reference(file, i + 1, m.group(1)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }
}
