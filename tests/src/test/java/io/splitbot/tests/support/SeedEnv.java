package io.splitbot.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A seed's own {@code .env} example, copied from its document into {@code src/test/resources/seeds/}: read as
 * docker compose and dotenv read it (KEY=VALUE lines; blank lines, {@code #} lines and a {@code #} comment after a
 * value dropped), for a test to fill in local values on top.
 */
public final class SeedEnv {
  private SeedEnv() {
  }

  /** @param resource e.g. {@code seeds/001.env}; a mutable copy, in the file's order */
  public static Map<String, String> load(String resource) {
    try (InputStream in = SeedEnv.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      Map<String, String> env = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        int eq = l.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException(resource + ": not KEY=VALUE: " + l);
        }
        env.put(l.substring(0, eq).strip(), l.substring(eq + 1).replaceFirst("\\s+#.*$", "").strip());
      }
      return env;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code seeds/<name>} with each of {@code fill} replacing a variable the file has (the local URLs, ports and
   * databases of the test); one the file lacks is a mistake in the test.
   */
  public static Map<String, String> read(String name, Map<String, String> fill) {
    Map<String, String> vars = load("seeds/" + name);
    fill.forEach((k, v) -> {
      if (vars.put(k, v) == null) {
        throw new IllegalStateException("seeds/" + name + " has no " + k + " to fill in");
      }
    });
    return vars;
  }
}
