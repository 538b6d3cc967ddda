package io.splitbot.tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

/**
 * A folder made immutable ({@code chattr +i}): nothing in it can be created, renamed or removed, even by root, so a
 * store kept there is out as a full or failing disk would put it. Needs root and a file system that has the flag.
 */
public final class FrozenFolder {
  private FrozenFolder() {
  }

  public static void freeze(Path folder) throws Exception {
    chattr("+i", folder);
  }

  public static void thaw(Path folder) throws Exception {
    chattr("-i", folder);
  }

  private static void chattr(String flag, Path folder) throws Exception {
    Process p = new ProcessBuilder("chattr", flag, folder.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "chattr " + flag + " " + folder + ": " + out);
  }
}
