package io.splitbot.shared.config;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The settings the seed bots' operators already have in their {@code .env} files, read as splitbot's own names: the
 * one place that maps them. Every {@link Env} sees the environment through it, so each reader finds one name for one
 * thing. A seed's name that means the same as splitbot's is an alias; where a value family differs, the value is read
 * by its meaning; where the seed's and splitbot's names both appear and disagree, start-up stops with one line that
 * names both.
 */
public final class SeedVariables {
  /**
   * The seeds' settings splitbot does not read yet (README, "Coming from one of the seed bots"), with the value each
   * may have because splitbot already behaves so (null: any value is unread).
   */
  private static final Map<String, String> NOT_READ_YET = notReadYet();

  private SeedVariables() {
  }

  private static Map<String, String> notReadYet() {
    Map<String, String> names = new LinkedHashMap<>();
    for (String name : List.of("MONOLITH_API_URL", "FALLBACK_TO_MONOLITH", "REQUEST_SERVICE_URL", "REQUEST_SERVICE_TOKEN",
        "USE_REQUEST_SERVICE", "DB_FALLBACK_BATCH_SIZE", "HEALTH_CHECK_INTERVAL",
        "MAX_CONCURRENT_REQUESTS", "REQUEST_TIMEOUT", "RETRY_ATTEMPTS", "PROFILE_CACHE_ENABLED", "PROFILE_CACHE_TIMEOUT",
        "MONITORING_ENABLED", "WEBHOOK_ENABLED", "PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE")) {
      names.put(name, null);
    }
    names.put("ENABLE_DB_FALLBACK", "true"); // request numbers fall back on the database today
    return names;
  }

  /** The seed settings in {@code vars} that splitbot ignores for now, in a fixed order, for one warning at start. */
  public static List<String> notRead(Map<String, String> vars) {
    return NOT_READ_YET.entrySet().stream()
        .filter(e -> set(vars, e.getKey()))
        .filter(e -> e.getValue() == null || !e.getValue().equalsIgnoreCase(vars.get(e.getKey()).trim()))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** One warning line naming the seed settings in {@code vars} that splitbot ignores for now; nothing when none. */
  public static void warnNotRead(Map<String, String> vars, Logger log) {
    List<String> ignored = notRead(vars);
    if (!ignored.isEmpty()) {
      log.warn("seed settings splitbot does not read yet, ignored (README, \"Coming from one of the seed bots\"): {}",
          String.join(", ", ignored));
    }
  }

  /** {@code vars} with the seeds' settings turned into splitbot's; the same map back when there are none. */
  static Map<String, String> apply(Map<String, String> vars) {
    if (!(set(vars, "USE_MONOLITH") || set(vars, "MIGRATION_MODE") || set(vars, "AUTO_MIGRATE") || set(vars, "REDIS_DB"))) {
      return vars;
    }
    Map<String, String> out = new HashMap<>(vars);
    alias(out, "USE_MONOLITH", "USE_LEGACY", "seed 004's emergency switch");
    migrationMode(out);
    redisDatabase(out);
    return out;
  }

  /** {@code seed} is another name of {@code own}: it fills {@code own} in, and the two must not disagree. */
  private static void alias(Map<String, String> vars, String seed, String own, String whose) {
    if (!set(vars, seed)) {
      return;
    }
    boolean seedValue = bool(vars, seed);
    if (set(vars, own) && bool(vars, own) != seedValue) {
      throw contradiction(seed, vars, own, seed + " is " + whose + ", splitbot's " + own);
    }
    vars.put(own, String.valueOf(seedValue));
  }

  /**
   * MIGRATION_MODE has three value families. splitbot's and seed 000's say where writes go in dual storage
   * (microservice_only is the primary only, monolith_only the secondary only); seed 003's say when data is migrated
   * (disabled and manual: by the operator's command only; auto: at start, as AUTO_MIGRATE=true).
   */
  private static void migrationMode(Map<String, String> vars) {
    String mode = set(vars, "MIGRATION_MODE") ? vars.get("MIGRATION_MODE").trim().toLowerCase(Locale.ROOT) : "";
    switch (mode) {
      case "microservice_only" -> vars.put("MIGRATION_MODE", "primary_only");
      case "monolith_only" -> vars.put("MIGRATION_MODE", "secondary_only");
      case "disabled", "manual", "auto" -> {
        boolean atStart = mode.equals("auto");
        if (set(vars, "AUTO_MIGRATE") && bool(vars, "AUTO_MIGRATE") != atStart) {
          throw contradiction("MIGRATION_MODE", vars, "AUTO_MIGRATE",
              "MIGRATION_MODE=" + mode + " means " + (atStart ? "migrate at start" : "never migrate at start"));
        }
        vars.remove("MIGRATION_MODE"); // where writes go stays dual storage's default
        vars.put("AUTO_MIGRATE", String.valueOf(atStart));
      }
      default -> {
        // splitbot's own values (dual, primary_only, secondary_only), or a wrong one that StorageConfig names
      }
    }
  }

  /** REDIS_DB names the database for every Redis use, unless REDIS_URL names one; the two must then agree. */
  private static void redisDatabase(Map<String, String> vars) {
    if (!set(vars, "REDIS_DB")) {
      return;
    }
    String raw = vars.get("REDIS_DB").trim();
    int db;
    try {
      db = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new ConfigException("REDIS_DB must be a whole number (a Redis database, 0 to 15 on a default Redis), got '" + raw + "'");
    }
    if (db < 0 || db > 10_000) {
      throw new ConfigException("REDIS_DB must be between 0 and 10000, got " + db);
    }
    if (!set(vars, "REDIS_URL")) {
      return; // no Redis: nothing to select, as with any Redis setting
    }
    String url = vars.get("REDIS_URL").trim();
    String path;
    try {
      path = URI.create(url).getRawPath();
    } catch (IllegalArgumentException e) {
      return; // SplitbotConfig names REDIS_URL's own error
    }
    String named = path == null ? "" : path.replaceFirst("^/", "");
    if (named.isEmpty()) {
      int query = url.indexOf('?');
      String base = query < 0 ? url : url.substring(0, query);
      vars.put("REDIS_URL", (base.endsWith("/") ? base : base + "/") + db + (query < 0 ? "" : url.substring(query)));
    } else if (!named.equals(String.valueOf(db))) {
      throw new ConfigException("REDIS_DB=" + db + " and REDIS_URL's database /" + named
          + " contradict each other: set one (REDIS_DB applies when the URL names none)");
    }
  }

  private static ConfigException contradiction(String a, Map<String, String> vars, String b, String why) {
    return new ConfigException(a + "=" + vars.get(a).trim() + " and " + b + "=" + vars.get(b).trim()
        + " contradict each other: set one (" + why + ")");
  }

  private static boolean set(Map<String, String> vars, String name) {
    String v = vars.get(name);
    return v != null && !v.isBlank();
  }

  private static boolean bool(Map<String, String> vars, String name) {
    return Env.parseBool(name, vars.get(name));
  }
}
