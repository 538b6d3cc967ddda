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

/** The seed bots' own settings, read through {@link Env} as every part of splitbot reads its environment. */
class SeedVariablesTest {

  private static final String TOKEN = "123456789:AAHsomeSecretPartOfTheToken_xyz";

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("TELEGRAM_BOT_TOKEN", TOKEN);
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private static String refusal(Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> SplitbotConfig.fromEnv(env, Role.ALL)).getMessage();
  }

  @Test
  void seed004sUseMonolithIsTheEmergencySwitch() {
    SplitbotConfig c = SplitbotConfig.fromEnv(env("LEGACY_WEBHOOK_URL", "http://legacy.internal/webhook", "USE_MONOLITH", "true"), Role.ALL);
    assertTrue(c.routing().useLegacy());
    SplitbotConfig off = SplitbotConfig.fromEnv(env("LEGACY_WEBHOOK_URL", "http://legacy.internal/webhook", "USE_MONOLITH", "false",
        "USE_LEGACY", "false"), Role.ALL);
    assertFalse(off.routing().useLegacy(), "the two agreeing is fine");
  }

  @Test
  void twoNamesThatDisagreeStopStartUpWithOneLineNamingBoth() {
    String line = refusal(env("LEGACY_WEBHOOK_URL", "http://legacy.internal/webhook", "USE_MONOLITH", "true", "USE_LEGACY", "false"));
    assertTrue(line.contains("USE_MONOLITH=true") && line.contains("USE_LEGACY=false") && line.contains("contradict"), line);
    assertFalse(line.contains("\n"), "one line: " + line);
  }

  @Test
  void seed000sMigrationModesSayWhereWritesGo() {
    assertEquals("primary_only", new Env(env("MIGRATION_MODE", "microservice_only")).string("MIGRATION_MODE", null));
    assertEquals("secondary_only", new Env(env("MIGRATION_MODE", "monolith_only")).string("MIGRATION_MODE", null));
    assertEquals("dual", new Env(env("MIGRATION_MODE", "dual")).string("MIGRATION_MODE", null));
    assertEquals("primary_only", new Env(env("MIGRATION_MODE", "primary_only")).string("MIGRATION_MODE", null), "splitbot's own stay");
  }

  @Test
  void seed003sMigrationModesSayWhenDataMoves() {
    Env manual = new Env(env("MIGRATION_MODE", "manual", "AUTO_MIGRATE", "false"));
    assertFalse(manual.isSet("MIGRATION_MODE"), "where writes go stays dual storage's default");
    assertFalse(manual.bool("AUTO_MIGRATE", true));
    assertFalse(new Env(env("MIGRATION_MODE", "disabled")).bool("AUTO_MIGRATE", true));

    String contradiction = refusal(env("MIGRATION_MODE", "manual", "AUTO_MIGRATE", "true"));
    assertTrue(contradiction.contains("MIGRATION_MODE=manual") && contradiction.contains("AUTO_MIGRATE=true"), contradiction);

    Env auto = new Env(env("MIGRATION_MODE", "auto"));
    assertTrue(auto.bool("AUTO_MIGRATE", false), "auto: migrate at start");
    assertFalse(auto.isSet("MIGRATION_MODE"));
    assertTrue(new Env(env("MIGRATION_MODE", "auto", "AUTO_MIGRATE", "true")).bool("AUTO_MIGRATE", false));
    assertTrue(new Env(env("AUTO_MIGRATE", "true")).bool("AUTO_MIGRATE", false));
  }

  @Test
  void redisDbSelectsTheDatabaseUnlessTheUrlNamesOne() {
    assertEquals("redis://127.0.0.1:6379/1",
        SplitbotConfig.fromEnv(env("REDIS_URL", "redis://127.0.0.1:6379", "REDIS_DB", "1"), Role.ALL).redis().url());
    assertEquals("redis://:secret@127.0.0.1:6379/3",
        SplitbotConfig.fromEnv(env("REDIS_URL", "redis://:secret@127.0.0.1:6379/", "REDIS_DB", "3"), Role.ALL).redis().url());
    assertEquals("redis://127.0.0.1:6379/2",
        SplitbotConfig.fromEnv(env("REDIS_URL", "redis://127.0.0.1:6379/2", "REDIS_DB", "2"), Role.ALL).redis().url(), "the two agree");

    String line = refusal(env("REDIS_URL", "redis://127.0.0.1:6379/2", "REDIS_DB", "1"));
    assertTrue(line.contains("REDIS_DB=1") && line.contains("REDIS_URL") && line.contains("contradict"), line);
    assertFalse(line.contains("127.0.0.1"), "no host in the message: " + line);
    assertTrue(refusal(env("REDIS_URL", "redis://127.0.0.1:6379", "REDIS_DB", "one")).startsWith("REDIS_DB must be a whole number"));
  }

  @Test
  void onlyTheSeedSettingsSplitbotHasNoUseForAreNamedInTheStartUpWarning() {
    assertEquals(List.of("BOT_SERVICE_URL"),
        SeedVariables.ignored(env("MIGRATION_BATCH_SIZE", "100", "MONOLITH_API_URL", "http://monolith:8000",
            "BOT_SERVICE_URL", "http://localhost:8001", "ENABLE_DB_FALLBACK", "false", "USE_MONOLITH", "false")));
    assertEquals(List.of(), SeedVariables.ignored(env("PROFILE_CACHE_ENABLED", "false", "PROFILE_CACHE_TIMEOUT", "3s",
        "MONITORING_ENABLED", "false", "WEBHOOK_ENABLED", "false", "PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE", "25",
        "HEALTH_CHECK_INTERVAL", "60", "MAX_CONCURRENT_REQUESTS", "10", "REQUEST_TIMEOUT", "30", "RETRY_ATTEMPTS", "3")),
        "seed 001's and seed 003's switches are read");
    assertEquals(List.of(), SeedVariables.ignored(env("ENABLE_DB_FALLBACK", "false", "DB_FALLBACK_BATCH_SIZE", "5",
        "REDIS_DB", "1")), "the desk reads the database fallback's settings, and REDIS_DB is read");
    assertEquals(List.of(), SeedVariables.ignored(env("MIGRATION_BATCH_SIZE", "50", "AUTO_MIGRATE", "true")),
        "the auto migration reads its batch size");
  }

  @Test
  void seed000sMonolithUrlIsDualStorageWithTheMonolithAsTheRemoteSecondary() {
    Env json = new Env(env("MIGRATION_MODE", "dual", "MONOLITH_API_URL", "http://localhost:8000/", "INTERNAL_API_TOKEN", "tok-1"));
    assertEquals("dual", json.string("STORAGE_BACKEND", null));
    assertEquals("json", json.string("DUAL_PRIMARY", null));
    assertEquals("remote", json.string("DUAL_SECONDARY", null));
    assertEquals("http://localhost:8000", json.string("REMOTE_STORAGE_URL", null));
    assertEquals("tok-1", json.string("REMOTE_STORAGE_TOKEN", null), "the seed's one internal token");
    Env pg = new Env(env("MONOLITH_API_URL", "http://m:8000", "DATABASE_URL", "postgresql://u@h/db", "INTERNAL_API_TOKEN", "a",
        "MONOLITH_API_TOKEN", "b", "MIGRATION_MODE", "monolith_only"));
    assertEquals("postgresql", pg.string("DUAL_PRIMARY", null));
    assertEquals("b", pg.string("REMOTE_STORAGE_TOKEN", null), "the monolith's own token when it has one");
    assertEquals("secondary_only", pg.string("MIGRATION_MODE", null), "the seed's rollback: the monolith only");
  }

  @Test
  void seed000sBotServiceKeepsItsRequestsInTheRequestService() {
    Env remote = new Env(env("REQUEST_SERVICE_URL", "http://localhost:8002", "REQUEST_SERVICE_TOKEN", "t", "USE_REQUEST_SERVICE", "true"));
    assertEquals("remote", remote.string("STORAGE_BACKEND", null));
    assertEquals("t", remote.string("REMOTE_STORAGE_TOKEN", null));
    Env fallback = new Env(env("REQUEST_SERVICE_URL", "http://localhost:8002", "REQUEST_SERVICE_TOKEN", "t",
        "USE_REQUEST_SERVICE", "true", "FALLBACK_TO_MONOLITH", "true"));
    assertEquals("dual", fallback.string("STORAGE_BACKEND", null));
    assertEquals("remote", fallback.string("DUAL_PRIMARY", null));
    assertEquals("json", fallback.string("DUAL_SECONDARY", null));
    assertEquals("true", fallback.string("SERVICE_FALLBACK_ENABLED", null));
    Env off = new Env(env("REQUEST_SERVICE_URL", "http://localhost:8002", "USE_REQUEST_SERVICE", "false"));
    assertFalse(off.isSet("STORAGE_BACKEND"), "USE_REQUEST_SERVICE=false: requests stay local");
  }

  @Test
  void seed000sContradictionsStopStartUpWithOneLineNamingBoth() {
    String json = refusal(env("STORAGE_BACKEND", "json", "REQUEST_SERVICE_URL", "http://u:pw@localhost:8002",
        "REQUEST_SERVICE_TOKEN", "t", "USE_REQUEST_SERVICE", "true"));
    assertTrue(json.contains("REQUEST_SERVICE_URL") && json.contains("STORAGE_BACKEND=json") && json.contains("contradict"), json);
    assertFalse(json.contains("pw") || json.contains("\n"), json);
    String both = refusal(env("MONOLITH_API_URL", "http://m:8000", "REQUEST_SERVICE_URL", "http://r:8002", "REQUEST_SERVICE_TOKEN", "t"));
    assertTrue(both.contains("MONOLITH_API_URL") && both.contains("REQUEST_SERVICE_URL"), both);
    String sides = refusal(env("MONOLITH_API_URL", "http://m:8000", "INTERNAL_API_TOKEN", "t", "DUAL_SECONDARY", "postgresql"));
    assertTrue(sides.contains("MONOLITH_API_URL") && sides.contains("DUAL_SECONDARY=postgresql"), sides);
    assertTrue(refusal(env("MONOLITH_API_URL", "localhost:8000", "INTERNAL_API_TOKEN", "t")).startsWith("MONOLITH_API_URL must be an http"));
    assertTrue(refusal(env("REQUEST_SERVICE_URL", "http://r:8002")).startsWith("REQUEST_SERVICE_TOKEN is required"));
    assertTrue(refusal(env("USE_REQUEST_SERVICE", "true")).startsWith("USE_REQUEST_SERVICE=true needs REQUEST_SERVICE_URL"));
  }

  @Test
  void anEnvironmentWithoutSeedNamesIsReadAsItIs() {
    Map<String, String> plain = env("REDIS_URL", "redis://127.0.0.1:6379");
    assertTrue(SeedVariables.apply(plain) == plain);
  }

  @Test
  void seed003sPerformanceSettingsAreTheWorkersBoundsInTheSeedsRanges() {
    SplitbotConfig c = SplitbotConfig.fromEnv(env("MAX_CONCURRENT_REQUESTS", "10", "REQUEST_TIMEOUT", "30",
        "RETRY_ATTEMPTS", "3"), Role.ALL);
    assertEquals(10, c.worker().concurrency());
    assertEquals(30_000, c.delivery().forwardTimeoutMs(), "seconds become the edge's wait for the worker in ms");
    assertEquals(3, c.worker().maxHandlerAttempts());
    SplitbotConfig agreeing = SplitbotConfig.fromEnv(env("MAX_CONCURRENT_REQUESTS", "10", "WORKER_CONCURRENCY", "10",
        "REQUEST_TIMEOUT", "30", "FORWARD_TIMEOUT_MS", "30000", "RETRY_ATTEMPTS", "3", "MAX_HANDLER_ATTEMPTS", "3"), Role.ALL);
    assertEquals(10, agreeing.worker().concurrency(), "the two agreeing is fine");

    assertEquals("MAX_CONCURRENT_REQUESTS must be between 1 and 1000, got 1001", refusal(env("MAX_CONCURRENT_REQUESTS", "1001")));
    assertEquals("MAX_CONCURRENT_REQUESTS must be between 1 and 1000, got 0", refusal(env("MAX_CONCURRENT_REQUESTS", "0")));
    assertEquals("REQUEST_TIMEOUT must be between 10 and 300, got 5", refusal(env("REQUEST_TIMEOUT", "5")));
    assertEquals("REQUEST_TIMEOUT must be between 10 and 300, got 301", refusal(env("REQUEST_TIMEOUT", "301")));
    assertEquals("REQUEST_TIMEOUT must be a whole number, got '30s'", refusal(env("REQUEST_TIMEOUT", "30s")));
    assertEquals("RETRY_ATTEMPTS must be between 1 and 10, got 11", refusal(env("RETRY_ATTEMPTS", "11")));
    assertEquals("RETRY_ATTEMPTS must be between 1 and 10, got 0", refusal(env("RETRY_ATTEMPTS", "0")));

    assertOneLineNaming(refusal(env("MAX_CONCURRENT_REQUESTS", "10", "WORKER_CONCURRENCY", "64")),
        "MAX_CONCURRENT_REQUESTS=10", "WORKER_CONCURRENCY=64");
    assertOneLineNaming(refusal(env("REQUEST_TIMEOUT", "30", "FORWARD_TIMEOUT_MS", "10000")),
        "REQUEST_TIMEOUT=30", "FORWARD_TIMEOUT_MS=10000");
    assertOneLineNaming(refusal(env("RETRY_ATTEMPTS", "3", "MAX_HANDLER_ATTEMPTS", "5")),
        "RETRY_ATTEMPTS=3", "MAX_HANDLER_ATTEMPTS=5");
  }

  @Test
  void seed001sWebhookPortSecretAndRedisAddressAreSplitbotsOwn() {
    SplitbotConfig c = SplitbotConfig.fromEnv(env("MAXBOT_HTTP_PORT", "8095", "WEBHOOK_SECRET", "webhook-secret-change-in-production",
        "REDIS_ADDR", "redis:6379", "REDIS_DB", "1", "MAX_BOT_TOKEN", MAX_TOKEN), Role.ALL);
    assertEquals(8095, c.http().edgePort());
    assertEquals("webhook-secret-change-in-production", c.max().webhookSecret());
    assertEquals("redis://redis:6379/1", c.redis().url(), "REDIS_DB applies to REDIS_ADDR's server");
    assertEquals("redis://127.0.0.1:6380", SplitbotConfig.fromEnv(env("REDIS_ADDR", "127.0.0.1:6380",
        "REDIS_URL", "redis://127.0.0.1:6380"), Role.ALL).redis().url(), "the two agree");

    assertOneLineNaming(refusal(env("MAXBOT_HTTP_PORT", "8095", "PORT", "8080")), "MAXBOT_HTTP_PORT=8095", "PORT=8080");
    String secrets = refusal(env("WEBHOOK_SECRET", "webhook-secret-one", "MAX_WEBHOOK_SECRET", "webhook-secret-two",
        "MAX_BOT_TOKEN", MAX_TOKEN));
    assertOneLineNaming(secrets, "WEBHOOK_SECRET", "MAX_WEBHOOK_SECRET");
    assertFalse(secrets.contains("webhook-secret-one") || secrets.contains("webhook-secret-two"), "no secret echoed: " + secrets);
    assertNull(SplitbotConfig.fromEnv(env("WEBHOOK_SECRET", "a secret, not MAX's shape"), Role.ALL).max().webhookSecret(),
        "without MAX_BOT_TOKEN the generic WEBHOOK_SECRET is not MAX's, and is not held to MAX's rules");
    String servers = refusal(env("REDIS_ADDR", "redis:6379", "REDIS_URL", "redis://cache.internal:6379"));
    assertOneLineNaming(servers, "REDIS_ADDR", "REDIS_URL");
    assertFalse(servers.contains("cache.internal") || servers.contains("redis:6379"), "no host in the line: " + servers);
    assertEquals("REDIS_ADDR must be host:port (seed 001's form, e.g. redis:6379)", refusal(env("REDIS_ADDR", "redis")));
    assertEquals("MAXBOT_HTTP_PORT must be between 1 and 65535, got 70000", refusal(env("MAXBOT_HTTP_PORT", "70000")));
  }

  @Test
  void webhookEnabledFalseIsPollingAndTrueIsWebhookOnEveryPlatform() {
    SplitbotConfig off = SplitbotConfig.fromEnv(env("WEBHOOK_ENABLED", "false", "MAX_BOT_TOKEN", MAX_TOKEN), Role.ALL);
    assertTrue(off.telegram().polling());
    assertTrue(off.max().polling());
    SplitbotConfig on = SplitbotConfig.fromEnv(env("WEBHOOK_ENABLED", "true", "MAX_BOT_TOKEN", MAX_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET", "tg-secret", "MAX_WEBHOOK_SECRET", "max-secret"), Role.ALL);
    assertEquals("webhook", on.telegram().mode());
    assertEquals("webhook", on.max().mode());
    assertTrue(SplitbotConfig.fromEnv(env("WEBHOOK_ENABLED", "false", "TELEGRAM_MODE", "polling"), Role.ALL).telegram().polling(),
        "the two agreeing is fine");

    assertOneLineNaming(refusal(env("WEBHOOK_ENABLED", "false", "TELEGRAM_MODE", "webhook")),
        "WEBHOOK_ENABLED=false", "TELEGRAM_MODE=webhook");
    assertOneLineNaming(refusal(env("WEBHOOK_ENABLED", "true", "MAX_MODE", "polling")), "WEBHOOK_ENABLED=true", "MAX_MODE=polling");
    assertEquals("WEBHOOK_ENABLED must be true or false, got 'sometimes'", refusal(env("WEBHOOK_ENABLED", "sometimes")));
    String edge = assertThrows(ConfigException.class, () -> SplitbotConfig.fromEnv(env("WEBHOOK_ENABLED", "false",
        "TELEGRAM_WEBHOOK_SECRET", "tg-secret"), Role.EDGE)).getMessage();
    assertEquals("WEBHOOK_ENABLED=false (polling, no webhook) is for bot-worker.jar; webhook-server.jar only serves webhooks", edge);
  }

  private static final String MAX_TOKEN = "maxTokenSecretPart0123456789abcdef";

  private static void assertOneLineNaming(String line, String first, String second) {
    assertTrue(line.contains(first) && line.contains(second) && line.contains("contradict")
        || line.contains(first) && line.contains(second) && line.contains("differ"), line);
    assertFalse(line.contains("\n"), "one line: " + line);
  }
}
