package io.splitbot.shared.config;

import java.net.URI;
import java.util.HashMap;
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
   * The seeds' settings splitbot has no use for, each with why (README, "Coming from one of the seed bots"): set, they
   * are named in one warning at start, so nobody expects them to do something.
   */
  private static final Map<String, String> NOT_NEEDED = Map.of(
      "BOT_SERVICE_URL", "the request service's address of its bot: the bot runs in the same worker as its requests");

  /** The seeds' names {@link #apply} reads; an environment without any is read as it is. */
  private static final List<String> SEED_NAMES = List.of("USE_MONOLITH", "MIGRATION_MODE", "AUTO_MIGRATE", "REDIS_DB",
      "REDIS_ADDR", "MAXBOT_HTTP_PORT", "WEBHOOK_SECRET", "WEBHOOK_ENABLED", "MAX_CONCURRENT_REQUESTS", "REQUEST_TIMEOUT",
      "RETRY_ATTEMPTS");

  private SeedVariables() {
  }

  /** The seed settings in {@code vars} that splitbot ignores, in name order, for one warning at start. */
  public static List<String> ignored(Map<String, String> vars) {
    return NOT_NEEDED.keySet().stream().filter(name -> set(vars, name)).sorted().toList();
  }

  /** One warning line naming the seed settings in {@code vars} that splitbot ignores, and why; nothing when none. */
  public static void warnIgnored(Map<String, String> vars, Logger log) {
    List<String> ignored = ignored(vars);
    if (!ignored.isEmpty()) {
      log.warn("seed settings splitbot does not need, ignored: {}",
          String.join("; ", ignored.stream().map(name -> name + " (" + NOT_NEEDED.get(name) + ")").toList()));
    }
  }

  /** {@code vars} with the seeds' settings turned into splitbot's; the same map back when there are none. */
  static Map<String, String> apply(Map<String, String> vars) {
    if (SEED_NAMES.stream().noneMatch(name -> set(vars, name)) && REQUEST_SERVICE.stream().noneMatch(n -> set(vars, n))) {
      return vars;
    }
    Map<String, String> out = new HashMap<>(vars);
    alias(out, "USE_MONOLITH", "USE_LEGACY", "seed 004's emergency switch");
    migrationMode(out);
    redisAddress(out);
    requestService(out);
    redisDatabase(out);
    // seed 001's webhook settings: the port MAX posts to, and the secret it sends
    number(out, "MAXBOT_HTTP_PORT", 1, 65535, 1, "PORT", "seed 001's webhook port, splitbot's edge port");
    if (set(out, "MAX_BOT_TOKEN")) {
      // a name this generic means MAX's secret only for a MAX bot; a Telegram bot's stray one is not checked by MAX's rules
      text(out, "WEBHOOK_SECRET", "MAX_WEBHOOK_SECRET", "seed 001's MAX webhook secret");
    }
    webhookEnabled(out);
    // seed 003's performance settings, each the splitbot setting that bounds the same thing
    number(out, "MAX_CONCURRENT_REQUESTS", 1, 1000, 1, "WORKER_CONCURRENCY", "seed 003's bound on work at once, "
        + "splitbot's on chats handled at once");
    number(out, "REQUEST_TIMEOUT", 10, 300, 1000, "FORWARD_TIMEOUT_MS", "seed 003's request timeout in seconds, "
        + "splitbot's wait for an update's handling in milliseconds");
    number(out, "RETRY_ATTEMPTS", 1, 10, 1, "MAX_HANDLER_ATTEMPTS", "seed 003's attempts, splitbot's attempts of a "
        + "handler before the update goes to the dead letters");
    return out;
  }

  /**
   * {@code seed} is a whole number in the seed's range [{@code min}, {@code max}] that means {@code own} ×
   * {@code scale} (a unit apart, e.g. seconds and milliseconds); the two must not disagree.
   */
  private static void number(Map<String, String> vars, String seed, int min, int max, int scale, String own, String why) {
    if (!set(vars, seed)) {
      return;
    }
    String raw = vars.get(seed).trim();
    long value;
    try {
      value = Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new ConfigException(seed + " must be a whole number, got '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new ConfigException(seed + " must be between " + min + " and " + max + ", got " + value);
    }
    String meant = String.valueOf(value * scale);
    if (set(vars, own) && !sameNumber(vars.get(own), meant)) {
      throw contradiction(seed, vars, own, why);
    }
    vars.put(own, meant);
  }

  private static boolean sameNumber(String a, String b) {
    try {
      return Long.parseLong(a.trim()) == Long.parseLong(b);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A secret under another name: filled in, and never echoed when the two disagree. */
  private static void text(Map<String, String> vars, String seed, String own, String whose) {
    if (!set(vars, seed)) {
      return;
    }
    String value = vars.get(seed).trim();
    if (set(vars, own) && !vars.get(own).trim().equals(value)) {
      throw new ConfigException(seed + " and " + own + " are both set and differ: set one (" + seed + " is " + whose
          + ", splitbot's " + own + ")");
    }
    vars.put(own, value);
  }

  /** REDIS_ADDR (seed 001: host:port) is REDIS_URL's server; the two must name the same one. */
  private static void redisAddress(Map<String, String> vars) {
    if (!set(vars, "REDIS_ADDR")) {
      return;
    }
    String addr = vars.get("REDIS_ADDR").trim();
    if (!addr.matches("[A-Za-z0-9.\\-]+:\\d{1,5}|\\[[0-9A-Fa-f:.]+\\]:\\d{1,5}")) {
      throw new ConfigException("REDIS_ADDR must be host:port (seed 001's form, e.g. redis:6379)");
    }
    String url = "redis://" + addr;
    if (set(vars, "REDIS_URL")) {
      String named;
      try {
        URI uri = URI.create(vars.get("REDIS_URL").trim());
        named = uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
      } catch (IllegalArgumentException e) {
        return; // SplitbotConfig names REDIS_URL's own error
      }
      if (!named.equalsIgnoreCase(URI.create(url).getHost() + ":" + URI.create(url).getPort())) {
        // no host in the line: it is a log line, and hosts stay out of logs
        throw new ConfigException("REDIS_ADDR and REDIS_URL name different Redis servers and contradict each other: "
            + "set one (REDIS_ADDR is seed 001's host:port, splitbot's REDIS_URL)");
      }
      return;
    }
    vars.put("REDIS_URL", url);
  }

  /**
   * WEBHOOK_ENABLED (seed 001, which deploys without the webhook first): true is webhook mode, false is polling, for
   * both platforms; a platform mode set the other way contradicts it. The edge alone cannot poll: SplitbotConfig says
   * so.
   */
  private static void webhookEnabled(Map<String, String> vars) {
    if (!set(vars, "WEBHOOK_ENABLED")) {
      return;
    }
    String mode = bool(vars, "WEBHOOK_ENABLED") ? "webhook" : "polling";
    for (String own : List.of("TELEGRAM_MODE", "MAX_MODE")) {
      if (set(vars, own) && !vars.get(own).trim().equalsIgnoreCase(mode)) {
        throw contradiction("WEBHOOK_ENABLED", vars, own, "WEBHOOK_ENABLED=" + vars.get("WEBHOOK_ENABLED").trim()
            + " means " + mode + " on every platform");
      }
      vars.put(own, mode);
    }
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

  /** Seed 000's settings for the request service and the bot service. */
  private static final List<String> REQUEST_SERVICE = List.of("MONOLITH_API_URL", "MONOLITH_API_TOKEN",
      "REQUEST_SERVICE_URL", "REQUEST_SERVICE_TOKEN", "USE_REQUEST_SERVICE", "FALLBACK_TO_MONOLITH");

  /**
   * Seed 000 in splitbot's terms: the remote storage backend at another worker's internal API.
   * <ul>
   *   <li>A request service with MONOLITH_API_URL writes to the monolith too: dual storage, the local store
   *       (PostgreSQL with DATABASE_URL, else JSON) primary and the monolith secondary, with the monolith's token
   *       (MONOLITH_API_TOKEN, else the one internal token of the seed, INTERNAL_API_TOKEN).
   *   <li>A bot service with REQUEST_SERVICE_URL (USE_REQUEST_SERVICE=true, its default) keeps its requests there
   *       (STORAGE_BACKEND=remote); FALLBACK_TO_MONOLITH=true keeps taking them locally while the service is
   *       down and repairs it later: dual storage, the service primary, the local store secondary, with fallback.
   *       USE_REQUEST_SERVICE=false keeps them local.
   * </ul>
   */
  private static void requestService(Map<String, String> vars) {
    boolean use = !set(vars, "USE_REQUEST_SERVICE") || bool(vars, "USE_REQUEST_SERVICE");
    if (set(vars, "USE_REQUEST_SERVICE") && use && !set(vars, "REQUEST_SERVICE_URL")) {
      throw new ConfigException("USE_REQUEST_SERVICE=true needs REQUEST_SERVICE_URL, the request service's address");
    }
    boolean service = use && set(vars, "REQUEST_SERVICE_URL");
    boolean monolith = set(vars, "MONOLITH_API_URL");
    if (service && monolith) {
      throw new ConfigException("MONOLITH_API_URL and REQUEST_SERVICE_URL contradict each other: set one (a request "
          + "service writes to the monolith, a bot service keeps its requests in a request service)");
    }
    if (!service && !monolith) {
      return;
    }
    String seedUrl = service ? "REQUEST_SERVICE_URL" : "MONOLITH_API_URL";
    String local = set(vars, "DATABASE_URL") ? "postgresql" : "json";
    boolean fallback = service && set(vars, "FALLBACK_TO_MONOLITH") && bool(vars, "FALLBACK_TO_MONOLITH");
    if (service && !fallback) {
      own(vars, seedUrl, "STORAGE_BACKEND", "remote");
    } else {
      own(vars, seedUrl, "STORAGE_BACKEND", "dual");
      own(vars, seedUrl, "DUAL_PRIMARY", service ? "remote" : local);
      own(vars, seedUrl, "DUAL_SECONDARY", service ? local : "remote");
      if (service) {
        alias(vars, "FALLBACK_TO_MONOLITH", "SERVICE_FALLBACK_ENABLED", "seed 000's fallback to local storage");
      }
    }
    own(vars, seedUrl, "REMOTE_STORAGE_URL", Env.checkHttpUrl(seedUrl, vars.get(seedUrl).trim()));
    String token = service ? "REQUEST_SERVICE_TOKEN" : set(vars, "MONOLITH_API_TOKEN") ? "MONOLITH_API_TOKEN" : "INTERNAL_API_TOKEN";
    if (!set(vars, token) && !set(vars, "REMOTE_STORAGE_TOKEN")) {
      throw new ConfigException(token + " is required with " + seedUrl + " (the bearer token of the service there)");
    }
    if (set(vars, token) && set(vars, "REMOTE_STORAGE_TOKEN") && !vars.get(token).trim().equals(vars.get("REMOTE_STORAGE_TOKEN").trim())) {
      throw new ConfigException(token + " and REMOTE_STORAGE_TOKEN contradict each other: set one");
    }
    if (set(vars, token)) {
      vars.put("REMOTE_STORAGE_TOKEN", vars.get(token).trim());
    }
  }

  /** {@code seed} sets splitbot's {@code own} to {@code value}, unless {@code own} is set to something else. */
  private static void own(Map<String, String> vars, String seed, String own, String value) {
    if (set(vars, own) && !vars.get(own).trim().equalsIgnoreCase(value)) {
      String shown = own.endsWith("_URL") ? "" : "=" + vars.get(own).trim(); // a URL may hold a password
      throw new ConfigException(seed + " and " + own + shown + " contradict each other: " + seed + " means " + own
          + (own.endsWith("_URL") ? " is its address" : "=" + value) + "; set one");
    }
    vars.put(own, value);
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
