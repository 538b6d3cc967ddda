package io.splitbot.shared.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every setting of both services, read from environment variables in this one place and validated at start-up.
 * A bad value throws {@link ConfigException} with one line naming the variable.
 */
public record SplitbotConfig(
    Role role,
    Telegram telegram,
    Webhook webhook,
    Http http,
    Cluster cluster,
    Delivery delivery,
    Worker worker,
    Path dataDir,
    Redis redis,
    Routing routing,
    Max max) {

  /** Whether Telegram is served: always, unless MAX is configured and nothing of Telegram is. */
  public boolean telegramOn() {
    return telegramOn(telegram.token(), webhook.secret(), max);
  }

  private static boolean telegramOn(String token, String secret, Max max) {
    return token != null || secret != null || !max.configured();
  }

  /** Telegram side: token, Bot API, mode and outgoing limits. */
  public record Telegram(
      String token,
      String apiUrl,
      String mode,
      List<String> allowedUpdates,
      double globalPerSecond,
      double chatPerSecond,
      int groupPerMinute,
      int maxRetryAfterSeconds) {

    public boolean hasToken() {
      return token != null;
    }

    public boolean polling() {
      return "polling".equals(mode);
    }

    @Override
    public String toString() {
      return "Telegram[token=" + (token == null ? "unset" : "***") + ", apiUrl=" + apiUrl + ", mode=" + mode + "]";
    }
  }

  /**
   * MAX messenger: on when MAX_BOT_TOKEN is set. {@code apiUrl} is the API base (the token goes in the Authorization
   * header, never in a URL); {@code mode} and the webhook settings mean what the Telegram ones do; {@code
   * globalPerSecond} is the overall request rate MAX allows a bot (30 per second in its documentation).
   */
  public record Max(String token, String apiUrl, String mode, String webhookSecret, String webhookPublicUrl,
      double globalPerSecond) {

    public boolean enabled() {
      return token != null;
    }

    /** Served at the edge: its token, or (an edge that does not register the webhook) its secret, is set. */
    public boolean configured() {
      return token != null || webhookSecret != null;
    }

    public boolean polling() {
      return "polling".equals(mode);
    }

    @Override
    public String toString() {
      return "Max[token=" + (token == null ? "unset" : "***") + ", apiUrl=" + apiUrl + ", mode=" + mode
          + ", webhookSecret=" + (webhookSecret == null ? "unset" : "***") + ", webhookPublicUrl=" + webhookPublicUrl + "]";
    }
  }

  /** The edge's webhook endpoint. */
  public record Webhook(String secret, boolean allowUnauthenticated, String publicUrl, int maxConnections, int maxBodyBytes) {
    @Override
    public String toString() {
      return "Webhook[secret=" + (secret == null ? "unset" : "***") + ", publicUrl=" + publicUrl + "]";
    }
  }

  /**
   * The two HTTP ports. {@code host} is the edge's bind address (public: it takes the webhooks); {@code workerHost}
   * the worker's (its internal API, monitoring and health), loopback unless WORKER_HTTP_HOST opens it to a private
   * network. {@code monitoringToken} (MONITORING_TOKEN, or null) is the bearer token /metrics, /monitoring/* and the
   * detail of the health answers need; without it they are served to loopback clients only.
   */
  public record Http(int edgePort, int workerPort, String host, String workerHost, String monitoringToken) {
    @Override
    public String toString() {
      return "Http[edgePort=" + edgePort + ", workerPort=" + workerPort + ", host=" + host + ", workerHost=" + workerHost
          + ", monitoringToken=" + (monitoringToken == null ? "unset" : "***") + "]";
    }
  }

  /**
   * The cluster engine's join (a static member list over TCP, no multicast) and the event bus transport. {@code tls}
   * secures both; it is null only on a loopback-only cluster, where nothing outside this machine can reach the ports.
   */
  public record Cluster(String host, String publicHost, int clusterPort, int eventBusPort, List<String> members,
      ClusterCredentials tls) {
  }

  /**
   * Spool, forwarding and shutdown at the edge. {@code forwardMaxAttempts} bounds the refused attempts of one update
   * (outages do not count) before it goes to the edge's dead letters. {@code spoolRedisVolatile}: the operator accepts
   * a Redis spool on a server without AOF; {@code spoolRedisWaitAof}: each Redis spool ack waits for the AOF fsync
   * (WAITAOF). {@code spoolPartitions}: how many partitions a Redis spool is split into, each forwarded by one edge
   * (only used with SPOOL=redis).
   */
  public record Delivery(String spool, int spoolMaxUpdates, long forwardTimeoutMs, int forwardConcurrency,
      int forwardMaxAttempts, int shutdownGraceSeconds, boolean spoolRedisVolatile, boolean spoolRedisWaitAof,
      int spoolPartitions) {
  }

  /** Redis (REDIS_URL, or null for none) and how long any command to it may take before it counts as an outage. */
  public record Redis(String url, long commandTimeoutMs) {
    public boolean configured() {
      return url != null;
    }
  }

  /** Worker pipeline: concurrency, retries of failing handlers, dedup window. */
  public record Worker(int concurrency, int maxHandlerAttempts, long dedupTtlSeconds) {
  }

  /**
   * Strangler routing at the edge: with a legacy webhook set, a stable hash of each chat sends
   * {@code rolloutPercentage} of chats to the new worker and the rest to the legacy bot. {@code allowChats} always
   * go to the new worker; {@code useLegacy} (the emergency switch) sends everything to legacy.
   */
  public record Routing(String legacyUrl, String legacySecret, double rolloutPercentage, Set<String> allowChats,
      boolean useLegacy) {

    public static final Routing NONE = new Routing(null, null, 100, Set.of(), false);

    /** Routing applies only when a legacy webhook is configured. */
    public boolean enabled() {
      return legacyUrl != null;
    }

    /** The rollout in hundredths of a percent (0..10000), the unit the router compares hash buckets with. */
    public int rolloutBasisPoints() {
      return (int) Math.round(rolloutPercentage * 100);
    }

    @Override
    public String toString() {
      return "Routing[legacyUrl=" + legacyUrl + ", legacySecret=" + (legacySecret == null ? "unset" : "***")
          + ", rolloutPercentage=" + rolloutPercentage + ", allowChats=" + allowChats.size() + ", useLegacy=" + useLegacy + "]";
    }
  }

  public static final String DEFAULT_API_URL = "https://api.telegram.org";
  public static final String DEFAULT_MAX_API_URL = "https://platform-api.max.ru";
  private static final Pattern TOKEN_SHAPE = Pattern.compile("\\d+:[A-Za-z0-9_-]{20,}");
  /** MAX does not publish its token's shape: a long run of base64 or URL-safe characters is what real ones are. */
  private static final Pattern MAX_TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_.~+/=-]{20,512}");

  public static SplitbotConfig fromEnv() {
    return fromEnv(System.getenv(), Role.EDGE);
  }

  /** @param edgeJarRole the role when the process is webhook-server.jar; bot-worker.jar reads BOT_ROLE. */
  public static SplitbotConfig fromEnv(Map<String, String> vars, Role edgeJarRole) {
    Env env = new Env(vars);
    Role role = edgeJarRole == Role.EDGE
        ? Role.EDGE
        : Role.valueOf(env.oneOf("BOT_ROLE", "all", Set.of("all", "worker")).toUpperCase());

    String token = env.secret("TELEGRAM_BOT_TOKEN");
    if (token != null && !TOKEN_SHAPE.matcher(token).matches()) {
      throw new ConfigException("TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then the secret part from @BotFather)");
    }
    String mode = env.oneOf("TELEGRAM_MODE", role == Role.ALL ? "polling" : "webhook", Set.of("polling", "webhook"));
    if (role == Role.EDGE && mode.equals("polling")) {
      throw pollingAtEdge(env, "TELEGRAM_MODE");
    }
    Telegram telegram = new Telegram(
        token,
        env.httpUrl("TELEGRAM_API_URL", DEFAULT_API_URL),
        mode,
        env.list("TELEGRAM_ALLOWED_UPDATES", "message,edited_message,callback_query"),
        env.decimal("TELEGRAM_GLOBAL_RATE", 30, 0.1, 100_000),
        env.decimal("TELEGRAM_CHAT_RATE", 1, 0.01, 10_000),
        env.integer("TELEGRAM_GROUP_RATE_PER_MIN", 20, 1, 1_000_000),
        env.integer("TELEGRAM_MAX_RETRY_AFTER", 60, 1, 86_400));

    String secret = urlSafe(env.secret("TELEGRAM_WEBHOOK_SECRET"));
    boolean allowUnauthenticated = env.bool("WEBHOOK_ALLOW_UNAUTHENTICATED", false);
    if (secret != null && !secret.matches("[A-Za-z0-9_-]{1,256}")) {
      throw new ConfigException("TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, 1 to 256 characters (Telegram's rule)");
    }
    Max max = max(env, role, allowUnauthenticated);
    if (telegramOn(token, secret, max) && role.runsEdge() && mode.equals("webhook") && secret == null && !allowUnauthenticated) {
      throw new ConfigException("TELEGRAM_WEBHOOK_SECRET is required in webhook mode (or set WEBHOOK_ALLOW_UNAUTHENTICATED=true for local tests)");
    }
    Webhook webhook = new Webhook(
        secret,
        allowUnauthenticated,
        publicUrl(env, mode),
        env.integer("WEBHOOK_MAX_CONNECTIONS", 40, 1, 100),
        1024 * 1024);

    Http http = new Http(
        env.integer("PORT", 8080, 0, 65535),
        env.integer("WORKER_PORT", 8081, 0, 65535),
        env.string("HTTP_HOST", "0.0.0.0"),
        env.string("WORKER_HTTP_HOST", "127.0.0.1"),
        monitoringToken(env));

    String clusterHost = env.string("CLUSTER_HOST", "127.0.0.1");
    boolean edgeSide = role == Role.EDGE;
    Cluster cluster = new Cluster(
        clusterHost,
        env.string("CLUSTER_PUBLIC_HOST", clusterHost),
        env.integer("CLUSTER_PORT", edgeSide ? 5701 : 5702, 1, 65535),
        env.integer("EVENTBUS_PORT", edgeSide ? 5711 : 5712, 0, 65535),
        env.list("CLUSTER_MEMBERS", "127.0.0.1:5701,127.0.0.1:5702"),
        ClusterCredentials.fromEnv(env));
    for (String member : cluster.members()) {
      if (!member.matches("[A-Za-z0-9.\\-\\[\\]:]+(:\\d{1,5})?")) {
        throw new ConfigException("CLUSTER_MEMBERS must be a comma-separated list of host or host:port, got '" + member + "'");
      }
    }
    if (role.clustered() && cluster.tls() == null && !loopback(clusterHost)) {
      // Closed by default: a cluster reachable from another machine must authenticate its members.
      throw new ConfigException("CLUSTER_TLS_CERT and CLUSTER_TLS_KEY are required when CLUSTER_HOST ('" + clusterHost
          + "') is not a loopback address: without them anyone who reaches the cluster ports could join it");
    }

    String redisUrl = env.string("REDIS_URL", null);
    if (redisUrl != null && !(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"))) {
      throw new ConfigException("REDIS_URL must start with redis:// or rediss://");
    }
    String spool = env.oneOf("SPOOL", "file", Set.of("file", "redis"));
    if (spool.equals("redis") && redisUrl == null) {
      throw new ConfigException("SPOOL=redis needs REDIS_URL");
    }
    Delivery delivery = new Delivery(
        spool,
        env.integer("SPOOL_MAX_UPDATES", 10_000, 1, 10_000_000),
        env.integer("FORWARD_TIMEOUT_MS", 10_000, 50, 600_000),
        env.integer("FORWARD_CONCURRENCY", 256, 1, 100_000),
        env.integer("FORWARD_MAX_ATTEMPTS", 10, 1, 1000),
        env.integer("SHUTDOWN_GRACE_SECONDS", 20, 0, 3600),
        env.bool("SPOOL_REDIS_VOLATILE", false),
        env.bool("SPOOL_REDIS_WAITAOF", false),
        env.integer("SPOOL_PARTITIONS", 16, 1, 1024));
    Redis redis = new Redis(redisUrl, env.integer("REDIS_COMMAND_TIMEOUT_MS", 2000, 50, 600_000));

    Worker worker = new Worker(
        env.integer("WORKER_CONCURRENCY", 64, 1, 100_000),
        env.integer("MAX_HANDLER_ATTEMPTS", 5, 1, 1000),
        env.durationSeconds("DEDUP_TTL", "24h"));

    // Read by logback itself (LogFormatEncoder); checked here so a typo stops start-up instead of logging plain.
    env.oneOf("LOG_FORMAT", "plain", Set.of("plain", "json"));
    env.oneOf("LOG_LEVEL", "info", Set.of("trace", "debug", "info", "warn", "error"));

    return new SplitbotConfig(role, telegram, webhook, http, cluster, delivery, worker,
        Path.of(env.string("DATA_DIR", "./data")), redis, routing(env), max);
  }

  /** Long enough not to be guessed over the network; the value itself is never echoed. */
  static final int MONITORING_TOKEN_MIN_LENGTH = 16;

  static String monitoringToken(Env env) {
    String token = env.secret("MONITORING_TOKEN");
    if (token != null && (token.length() < MONITORING_TOKEN_MIN_LENGTH || !token.matches("[\\x21-\\x7E]+"))) {
      throw new ConfigException("MONITORING_TOKEN must be at least " + MONITORING_TOKEN_MIN_LENGTH
          + " printable characters without spaces (e.g. openssl rand -hex 24)");
    }
    return token;
  }

  /** Whether the host only binds this machine's loopback interface (a host name is resolved). */
  static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** MAX_*: read and checked even when MAX is off, so a typo shows at start rather than when MAX is turned on. */
  static Max max(Env env, Role role, boolean allowUnauthenticated) {
    String token = env.secret("MAX_BOT_TOKEN");
    if (token != null) {
      checkMaxToken(token);
    }
    String mode = env.oneOf("MAX_MODE", role == Role.ALL ? "polling" : "webhook", Set.of("polling", "webhook"));
    if (role == Role.EDGE && mode.equals("polling")) {
      throw pollingAtEdge(env, "MAX_MODE");
    }
    String secret = urlSafe(env.secret("MAX_WEBHOOK_SECRET"));
    if (secret != null && !secret.matches("[A-Za-z0-9_-]{5,256}")) {
      throw new ConfigException("MAX_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, 5 to 256 characters (MAX's rule)");
    }
    boolean webhook = token != null && mode.equals("webhook");
    if (webhook && role.runsEdge() && secret == null && !allowUnauthenticated) {
      throw new ConfigException("MAX_WEBHOOK_SECRET is required in MAX webhook mode (or set WEBHOOK_ALLOW_UNAUTHENTICATED=true for local tests)");
    }
    String variable = env.isSet("MAX_WEBHOOK_PUBLIC_URL") || !webhook ? "MAX_WEBHOOK_PUBLIC_URL" : "RENDER_EXTERNAL_URL";
    String publicUrl = env.httpUrl(variable, null);
    if (publicUrl != null && !publicUrl.startsWith("https://")) {
      throw new ConfigException(variable + " must be an https URL: MAX delivers webhooks only over HTTPS");
    }
    return new Max(token, env.httpUrl("MAX_API_URL", DEFAULT_MAX_API_URL), mode, secret, publicUrl,
        env.decimal("MAX_GLOBAL_RATE", 30, 0.1, 1000));
  }

  /** Polling asked of webhook-server.jar, named by the variable that asked: the mode's own, or seed 001's switch. */
  private static ConfigException pollingAtEdge(Env env, String modeVariable) {
    String asked = env.isSet("WEBHOOK_ENABLED") ? "WEBHOOK_ENABLED=false (polling, no webhook)" : modeVariable + "=polling";
    return new ConfigException(asked + " is for bot-worker.jar; webhook-server.jar only serves webhooks");
  }

  /** The usual mistakes get their own line; the value itself is never echoed. */
  private static void checkMaxToken(String token) {
    if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ConfigException("MAX_BOT_TOKEN must be the bare token: MAX takes it in the Authorization header without 'Bearer '");
    }
    if (TOKEN_SHAPE.matcher(token).matches()) {
      throw new ConfigException("MAX_BOT_TOKEN looks like a Telegram bot token (digits, a colon, a secret); MAX's token is on business.max.ru under the bot's settings");
    }
    if (!MAX_TOKEN_SHAPE.matcher(token).matches()) {
      throw new ConfigException("MAX_BOT_TOKEN does not look like a MAX bot token (20 to 512 letters, digits and - _ . ~ + / =, no spaces), as business.max.ru shows it");
    }
  }

  /**
   * WEBHOOK_PUBLIC_URL, or on Render the service's own RENDER_EXTERNAL_URL (set on every web service), so a Blueprint
   * deploy registers its webhook without being told its address. Polling never registers one.
   */
  static String publicUrl(Env env, String mode) {
    if (env.isSet("WEBHOOK_PUBLIC_URL") || !mode.equals("webhook")) {
      return env.httpUrl("WEBHOOK_PUBLIC_URL", null);
    }
    return env.httpUrl("RENDER_EXTERNAL_URL", null);
  }

  /**
   * A secret generated as base64 (Render's {@code generateValue: true}) may hold {@code + / =}, which Telegram's
   * secret_token does not allow: it is used in its URL-safe form ({@code - _}, no padding), the same secret for
   * setWebhook and for the check.
   */
  static String urlSafe(String secret) {
    if (secret == null || !secret.matches("[A-Za-z0-9+/_-]+={0,2}")) {
      return secret;
    }
    return secret.replace('+', '-').replace('/', '_').replaceAll("=+$", "");
  }

  static Routing routing(Env env) {
    String legacyUrl = env.httpUrl("LEGACY_WEBHOOK_URL", null);
    String legacySecret = env.secret("LEGACY_WEBHOOK_SECRET");
    if (legacySecret != null && !legacySecret.matches("[A-Za-z0-9_-]{1,256}")) {
      throw new ConfigException("LEGACY_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -, 1 to 256 characters (Telegram's rule)");
    }
    boolean useLegacy = env.bool("USE_LEGACY", false);
    if (useLegacy && legacyUrl == null) {
      throw new ConfigException("USE_LEGACY=true needs LEGACY_WEBHOOK_URL (the legacy bot's webhook to send updates to)");
    }
    double percentage = env.decimal("ROLLOUT_PERCENTAGE", 0, 0, 100);
    Set<String> allow = new java.util.LinkedHashSet<>();
    for (String chat : env.list("ROLLOUT_ALLOW_CHATS", "")) {
      if (!chat.matches("-?\\d{1,20}")) {
        throw new ConfigException("ROLLOUT_ALLOW_CHATS must be a comma-separated list of chat ids (whole numbers), got '" + chat + "'");
      }
      allow.add(chat);
    }
    return new Routing(legacyUrl, legacySecret, percentage, Set.copyOf(allow), useLegacy);
  }
}
