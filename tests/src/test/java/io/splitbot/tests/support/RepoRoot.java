package io.splitbot.tests.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root folder, found from the tests' working folder: the nearest one above that holds jvm.options. */
public final class RepoRoot {
  public static final Path DIR = find();

  private RepoRoot() {
  }

  private static Path find() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("jvm.options")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("jvm.options not found in " + start + " or a folder above it");
  }
}
