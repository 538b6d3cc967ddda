package io.splitbot.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A seed document's {@code .env} block, copied verbatim into {@code src/test/resources/seeds/}: read as the
 * operators' files are (KEY=VALUE lines, # comments), with the placeholders the test fills in replaced.
 */
public final class SeedEnvFile {
  private SeedEnvFile() {
  }

  /** The variables of {@code seeds/<name>}, each of {@code fill} replacing a variable the file has. */
  public static Map<String, String> read(String name, Map<String, String> fill) {
    Map<String, String> vars = new LinkedHashMap<>();
    try (InputStream in = SeedEnvFile.class.getClassLoader().getResourceAsStream("seeds/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource seeds/" + name);
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.trim();
        if (!l.isEmpty() && !l.startsWith("#")) {
          int eq = l.indexOf('=');
          vars.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    fill.forEach((k, v) -> {
      if (vars.put(k, v) == null) {
        throw new IllegalStateException("seeds/" + name + " has no " + k + " to fill in");
      }
    });
    return vars;
  }
}
