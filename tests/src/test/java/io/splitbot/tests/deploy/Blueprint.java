package io.splitbot.tests.deploy;

import io.splitbot.tests.support.RepoRoot;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** render.yaml and docker/compose.yaml as parsed YAML, with the lookups the deploy tests need. */
final class Blueprint {
  static final Path ROOT = RepoRoot.DIR;

  private Blueprint() {
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> load(String relative) throws IOException {
    try (Reader reader = Files.newBufferedReader(ROOT.resolve(relative))) {
      return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  /** The Render service (or database) called {@code name}. */
  static Map<String, Object> service(Map<String, Object> render, String name) {
    for (String section : List.of("services", "databases")) {
      for (Map<String, Object> s : list(render.getOrDefault(section, List.of()))) {
        if (name.equals(s.get("name"))) {
          return s;
        }
      }
    }
    throw new AssertionError("render.yaml has no service or database named " + name);
  }

  /** A Render service's envVars by key. */
  static Map<String, Map<String, Object>> envVars(Map<String, Object> service) {
    Map<String, Map<String, Object>> vars = new LinkedHashMap<>();
    for (Map<String, Object> v : list(service.getOrDefault("envVars", List.of()))) {
      vars.put(String.valueOf(v.get("key")), v);
    }
    return vars;
  }

  /**
   * A Render service's environment as the process would see it: literal values as they are, and every other kind
   * of entry (generated, prompted, from another service or database) as {@code resolve} says.
   */
  static Map<String, String> environment(Map<String, Object> service, Function<Map<String, Object>, String> resolve) {
    Map<String, String> env = new LinkedHashMap<>();
    envVars(service).forEach((key, v) -> {
      String value = v.containsKey("value") ? String.valueOf(v.get("value")) : resolve.apply(v);
      if (value != null) {
        env.put(key, value);
      }
    });
    return env;
  }
}
