package io.splitbot.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitbotConfigTest {
  private static final String TOKEN = "123456789:AAHsomeSecretPartOfTheToken_xyz";
  private static final String MAX_TOKEN = "f9LHodD0cOJ5iN3Lr_tQ-aXb7KpZ2sWm8vYe4uRqTn1";

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static String error(Map<String, String> env, Role role) {
    return assertThrows(ConfigException.class, () -> SplitbotConfig.fromEnv(env, role)).getMessage();
  }

  @Test
  void defaultsGiveALocalPollingBot() {
    SplitbotConfig c = SplitbotConfig.fromEnv(env("TELEGRAM_BOT_TOKEN", TOKEN), Role.ALL);
    assertEquals(Role.ALL, c.role());
    assertEquals("polling", c.telegram().mode());
    assertEquals("https://api.telegram.org", c.telegram().apiUrl());
    assertEquals(8080, c.http().edgePort());
    assertEquals(8081, c.http().workerPort());
    assertEquals("file", c.delivery().spool());
    assertEquals(10, c.delivery().forwardMaxAttempts());
    assertEquals(86_400, c.worker().dedupTtlSeconds());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5702"), c.cluster().members());
    assertEquals("0.0.0.0", c.http().host(), "the edge takes webhooks from anywhere");
    assertEquals("127.0.0.1", c.http().workerHost(), "the worker's port is closed unless WORKER_HTTP_HOST opens it");
    assertEquals(null, c.http().monitoringToken());
  }

  @Test
  void spoolPartitionsDefaultTo16AndAreBetween1And1024() {
    assertEquals(16, SplitbotConfig.fromEnv(env("TELEGRAM_WEBHOOK_SECRET", "s"), Role.EDGE).delivery().spoolPartitions());
    assertEquals(1024, SplitbotConfig.fromEnv(env("TELEGRAM_WEBHOOK_SECRET", "s", "SPOOL_PARTITIONS", "1024"), Role.EDGE)
        .delivery().spoolPartitions());
    assertEquals("SPOOL_PARTITIONS must be between 1 and 1024, got 0",
        error(env("TELEGRAM_WEBHOOK_SECRET", "s", "SPOOL_PARTITIONS", "0"), Role.EDGE));
    assertEquals("SPOOL_PARTITIONS must be a whole number, got 'many'",
        error(env("TELEGRAM_WEBHOOK_SECRET", "s", "SPOOL_PARTITIONS", "many"), Role.EDGE));
  }

  @Test
  void monitoringTokenIsLongAndPrintableAndNeverShown() {
    String token = "0123456789abcdef-monitoring";
    SplitbotConfig c = SplitbotConfig.fromEnv(env("MONITORING_TOKEN", token, "WORKER_HTTP_HOST", "0.0.0.0"), Role.ALL);
    assertEquals(token, c.http().monitoringToken());
    assertEquals("0.0.0.0", c.http().workerHost());
    assertFalse(c.http().toString().contains(token), c.http().toString());
    String tooShort = error(env("MONITORING_TOKEN", "short-token"), Role.ALL);
    assertTrue(tooShort.startsWith("MONITORING_TOKEN ") && !tooShort.contains("short-token"), tooShort);
    assertTrue(error(env("MONITORING_TOKEN", "has a space 0123456789"), Role.ALL).startsWith("MONITORING_TOKEN "));
  }

  @Test
  void theEdgeAndALoneWorkerDefaultToWebhookModeAndTheirOwnClusterPorts() {
    SplitbotConfig edge = SplitbotConfig.fromEnv(env("TELEGRAM_WEBHOOK_SECRET", "s"), Role.EDGE);
    SplitbotConfig worker = SplitbotConfig.fromEnv(env("BOT_ROLE", "worker"), Role.ALL);
    assertEquals("webhook", edge.telegram().mode());
    assertEquals("webhook", worker.telegram().mode());
    assertEquals(5701, edge.cluster().clusterPort());
    assertEquals(5702, worker.cluster().clusterPort());
    assertEquals(Role.WORKER, worker.role());
  }

  @Test
  void aClusterReachableFromOtherMachinesDoesNotStartWithoutItsCredentials() {
    for (String host : new String[] {"0.0.0.0", "10.0.0.7"}) {
      String worker = error(env("BOT_ROLE", "worker", "CLUSTER_HOST", host), Role.ALL);
      assertTrue(worker.startsWith("CLUSTER_TLS_CERT and CLUSTER_TLS_KEY are required when CLUSTER_HOST"), worker);
      String edge = error(env("TELEGRAM_WEBHOOK_SECRET", "s", "CLUSTER_HOST", host), Role.EDGE);
      assertTrue(edge.startsWith("CLUSTER_TLS_CERT and CLUSTER_TLS_KEY are required"), edge);
    }
    // Loopback only (a laptop, the tests): nothing outside the machine reaches the ports.
    assertNull(SplitbotConfig.fromEnv(env("BOT_ROLE", "worker", "CLUSTER_HOST", "localhost"), Role.ALL).cluster().tls());
    // One JVM has no cluster at all, whatever CLUSTER_HOST says.
    assertNull(SplitbotConfig.fromEnv(env("CLUSTER_HOST", "0.0.0.0"), Role.ALL).cluster().tls());
  }

  @Test
  void halfGivenOrBadClusterCredentialsNameTheVariable() {
    String cert = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
    assertTrue(error(env("BOT_ROLE", "worker", "CLUSTER_TLS_CERT", cert), Role.ALL)
        .startsWith("CLUSTER_TLS_KEY is required"));
    assertTrue(error(env("BOT_ROLE", "worker", "CLUSTER_TLS_KEY", "k"), Role.ALL)
        .startsWith("CLUSTER_TLS_CERT is required"));
    assertTrue(error(env("BOT_ROLE", "worker", "CLUSTER_TLS_CA", cert), Role.ALL).startsWith("CLUSTER_TLS_CA is set"));
    assertTrue(error(env("BOT_ROLE", "worker", "CLUSTER_TLS_CERT", "not a pem", "CLUSTER_TLS_KEY", "k"), Role.ALL)
        .startsWith("CLUSTER_TLS_CERT must hold PEM certificates"));
  }

  @Test
  void eachBadValueNamesItsVariable() {
    assertTrue(error(env("PORT", "eighty", "TELEGRAM_WEBHOOK_SECRET", "s"), Role.EDGE).startsWith("PORT "));
    assertTrue(error(env("PORT", "70000", "TELEGRAM_WEBHOOK_SECRET", "s"), Role.EDGE).startsWith("PORT "));
    assertTrue(error(env("BOT_ROLE", "both"), Role.ALL).startsWith("BOT_ROLE "));
    assertTrue(error(env("TELEGRAM_MODE", "push"), Role.ALL).startsWith("TELEGRAM_MODE "));
    assertTrue(error(env("TELEGRAM_API_URL", "ftp://x"), Role.ALL).startsWith("TELEGRAM_API_URL "));
    assertTrue(error(env("SPOOL", "redis"), Role.ALL).contains("REDIS_URL"));
    assertTrue(error(env("REDIS_URL", "localhost:6379"), Role.ALL).startsWith("REDIS_URL "));
    assertTrue(error(env("WORKER_CONCURRENCY", "0"), Role.ALL).startsWith("WORKER_CONCURRENCY "));
    assertTrue(error(env("FORWARD_MAX_ATTEMPTS", "0"), Role.ALL).startsWith("FORWARD_MAX_ATTEMPTS "));
    assertTrue(error(env("FORWARD_MAX_ATTEMPTS", "forever"), Role.ALL).startsWith("FORWARD_MAX_ATTEMPTS "));
    assertTrue(error(env("DEDUP_TTL", "soon"), Role.ALL).startsWith("DEDUP_TTL "));
    assertTrue(error(env("WEBHOOK_ALLOW_UNAUTHENTICATED", "maybe"), Role.ALL).startsWith("WEBHOOK_ALLOW_UNAUTHENTICATED "));
    assertTrue(error(env("CLUSTER_MEMBERS", "a b"), Role.ALL).startsWith("CLUSTER_MEMBERS "));
    assertTrue(error(env("REDIS_COMMAND_TIMEOUT_MS", "2s"), Role.ALL).startsWith("REDIS_COMMAND_TIMEOUT_MS "));
    assertTrue(error(env("REDIS_COMMAND_TIMEOUT_MS", "0"), Role.ALL).startsWith("REDIS_COMMAND_TIMEOUT_MS "));
    assertTrue(error(env("SPOOL_REDIS_VOLATILE", "sure"), Role.ALL).startsWith("SPOOL_REDIS_VOLATILE "));
    assertTrue(error(env("SPOOL_REDIS_WAITAOF", "on"), Role.ALL).startsWith("SPOOL_REDIS_WAITAOF "));
  }

  @Test
  void redisCommandsTimeOutAfterTwoSecondsAndTheRedisSpoolMustBeDurableUnlessSaidOtherwise() {
    SplitbotConfig c = SplitbotConfig.fromEnv(env("REDIS_URL", "redis://127.0.0.1:6379"), Role.ALL);
    assertEquals(new SplitbotConfig.Redis("redis://127.0.0.1:6379", 2000), c.redis());
    assertFalse(c.delivery().spoolRedisVolatile());
    assertFalse(c.delivery().spoolRedisWaitAof());
    SplitbotConfig set = SplitbotConfig.fromEnv(env("REDIS_COMMAND_TIMEOUT_MS", "750", "SPOOL_REDIS_VOLATILE", "true",
        "SPOOL_REDIS_WAITAOF", "true"), Role.ALL);
    assertEquals(750, set.redis().commandTimeoutMs());
    assertFalse(set.redis().configured());
    assertTrue(set.delivery().spoolRedisVolatile());
    assertTrue(set.delivery().spoolRedisWaitAof());
  }

  @Test
  void webhookModeNeedsASecretUnlessUnauthenticatedIsAllowed() {
    assertTrue(error(env(), Role.EDGE).startsWith("TELEGRAM_WEBHOOK_SECRET is required"));
    assertTrue(error(env("TELEGRAM_MODE", "webhook"), Role.ALL).startsWith("TELEGRAM_WEBHOOK_SECRET is required"));
    SplitbotConfig open = SplitbotConfig.fromEnv(env("WEBHOOK_ALLOW_UNAUTHENTICATED", "true"), Role.EDGE);
    assertTrue(open.webhook().allowUnauthenticated());
    // A lone worker never serves webhooks, so it needs no secret.
    SplitbotConfig.fromEnv(env("BOT_ROLE", "worker"), Role.ALL);
  }

  @Test
  void secretsAreNeverEchoed() {
    String badToken = "not-a-token-but-secret-ish-value-1234567";
    String message = error(env("TELEGRAM_BOT_TOKEN", badToken), Role.ALL);
    assertTrue(message.startsWith("TELEGRAM_BOT_TOKEN "));
    assertFalse(message.contains(badToken));
    String badSecret = "has spaces and $ymbols";
    message = error(env("TELEGRAM_WEBHOOK_SECRET", badSecret), Role.EDGE);
    assertFalse(message.contains(badSecret));
    SplitbotConfig c = SplitbotConfig.fromEnv(env("TELEGRAM_BOT_TOKEN", TOKEN, "TELEGRAM_WEBHOOK_SECRET", "abc"), Role.EDGE);
    assertFalse(c.toString().contains("AAHsomeSecretPartOfTheToken_xyz"));
    assertFalse(c.toString().contains("=abc"));
  }

  @Test
  void durationsAcceptUnits() {
    assertEquals(90, SplitbotConfig.fromEnv(env("DEDUP_TTL", "90s"), Role.ALL).worker().dedupTtlSeconds());
    assertEquals(172_800, SplitbotConfig.fromEnv(env("DEDUP_TTL", "2d"), Role.ALL).worker().dedupTtlSeconds());
  }

  @Test
  void maxIsOffUntilItsTokenIsSetAndPicksItsModeAsTelegramDoes() {
    SplitbotConfig off = SplitbotConfig.fromEnv(env("TELEGRAM_BOT_TOKEN", TOKEN), Role.ALL);
    assertFalse(off.max().enabled());
    assertEquals("https://platform-api.max.ru", off.max().apiUrl());

    SplitbotConfig local = SplitbotConfig.fromEnv(env("MAX_BOT_TOKEN", MAX_TOKEN), Role.ALL);
    assertTrue(local.max().enabled());
    assertEquals(MAX_TOKEN, local.max().token());
    assertEquals("polling", local.max().mode());
    assertTrue(local.max().polling());
    assertEquals(30, local.max().globalPerSecond());

    // A lone worker defaults to webhook mode and, serving no webhooks, needs no secret.
    SplitbotConfig worker = SplitbotConfig.fromEnv(env("BOT_ROLE", "worker", "MAX_BOT_TOKEN", MAX_TOKEN), Role.ALL);
    assertEquals("webhook", worker.max().mode());
    assertEquals(null, worker.max().webhookSecret());

    SplitbotConfig edge = SplitbotConfig.fromEnv(env("TELEGRAM_WEBHOOK_SECRET", "s", "MAX_BOT_TOKEN", MAX_TOKEN,
        "MAX_WEBHOOK_SECRET", "max_Secret-1", "MAX_WEBHOOK_PUBLIC_URL", "https://bot.example.com/",
        "MAX_API_URL", "http://127.0.0.1:9999/", "MAX_GLOBAL_RATE", "10"), Role.EDGE);
    assertEquals(new SplitbotConfig.Max(MAX_TOKEN, "http://127.0.0.1:9999", "webhook", "max_Secret-1",
        "https://bot.example.com", 10), edge.max());
  }

  @Test
  void maxWebhookModeAtTheEdgeNeedsASecretAndAnHttpsAddress() {
    assertTrue(error(env("TELEGRAM_WEBHOOK_SECRET", "s", "MAX_BOT_TOKEN", MAX_TOKEN), Role.EDGE)
        .startsWith("MAX_WEBHOOK_SECRET is required"));
    assertTrue(error(env("MAX_BOT_TOKEN", MAX_TOKEN, "MAX_MODE", "webhook", "TELEGRAM_MODE", "polling"), Role.ALL)
        .startsWith("MAX_WEBHOOK_SECRET is required"));
    SplitbotConfig open = SplitbotConfig.fromEnv(env("MAX_BOT_TOKEN", MAX_TOKEN, "WEBHOOK_ALLOW_UNAUTHENTICATED", "true"),
        Role.EDGE);
    assertEquals("webhook", open.max().mode());
    // MAX off: its webhook settings are still checked, but nothing is required.
    SplitbotConfig.fromEnv(env("TELEGRAM_WEBHOOK_SECRET", "s"), Role.EDGE);

    assertTrue(error(env("MAX_WEBHOOK_PUBLIC_URL", "http://bot.example.com"), Role.ALL)
        .startsWith("MAX_WEBHOOK_PUBLIC_URL must be an https URL"));
    // On Render the service's own address is used, as for Telegram, and only in webhook mode.
    Map<String, String> render = env("TELEGRAM_WEBHOOK_SECRET", "s", "MAX_BOT_TOKEN", MAX_TOKEN,
        "MAX_WEBHOOK_SECRET", "max_secret", "RENDER_EXTERNAL_URL", "https://splitbot.onrender.com");
    assertEquals("https://splitbot.onrender.com", SplitbotConfig.fromEnv(render, Role.EDGE).max().webhookPublicUrl());
    render.put("TELEGRAM_MODE", "polling");
    render.put("MAX_MODE", "polling");
    assertEquals(null, SplitbotConfig.fromEnv(render, Role.ALL).max().webhookPublicUrl());
  }

  @Test
  void eachBadMaxValueNamesItsVariable() {
    assertTrue(error(env("MAX_API_URL", "ftp://platform-api.max.ru"), Role.ALL).startsWith("MAX_API_URL "));
    assertTrue(error(env("MAX_MODE", "push"), Role.ALL).startsWith("MAX_MODE "));
    assertTrue(error(env("MAX_MODE", "polling", "TELEGRAM_WEBHOOK_SECRET", "s"), Role.EDGE).startsWith("MAX_MODE=polling "));
    assertTrue(error(env("MAX_WEBHOOK_SECRET", "abcd"), Role.ALL).startsWith("MAX_WEBHOOK_SECRET "));
    assertTrue(error(env("MAX_WEBHOOK_SECRET", "has spaces in it"), Role.ALL).startsWith("MAX_WEBHOOK_SECRET "));
    assertTrue(error(env("MAX_WEBHOOK_PUBLIC_URL", "bot.example.com"), Role.ALL).startsWith("MAX_WEBHOOK_PUBLIC_URL "));
    assertTrue(error(env("MAX_GLOBAL_RATE", "0"), Role.ALL).startsWith("MAX_GLOBAL_RATE "));
  }

  @Test
  void aMaxTokenMustLookLikeOneAndIsNeverEchoed() {
    for (String bad : List.of("Bearer " + MAX_TOKEN, TOKEN, "tooShort_123", MAX_TOKEN.substring(0, 20) + " " + MAX_TOKEN,
        MAX_TOKEN + "\u00e9")) {
      String message = error(env("MAX_BOT_TOKEN", bad), Role.ALL);
      assertTrue(message.startsWith("MAX_BOT_TOKEN "), message);
      assertFalse(message.contains(bad.trim()), message);
      assertFalse(message.contains(MAX_TOKEN.substring(0, 20)), message);
    }
    assertTrue(error(env("MAX_BOT_TOKEN", "Bearer " + MAX_TOKEN), Role.ALL).contains("without 'Bearer '"));
    assertTrue(error(env("MAX_BOT_TOKEN", TOKEN), Role.ALL).contains("Telegram"));
    SplitbotConfig c = SplitbotConfig.fromEnv(env("MAX_BOT_TOKEN", MAX_TOKEN, "MAX_WEBHOOK_SECRET", "max_secret"), Role.ALL);
    assertFalse(c.toString().contains(MAX_TOKEN), c.toString());
    assertFalse(c.toString().contains("max_secret"), c.toString());
  }
}
