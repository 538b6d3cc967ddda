package io.splitbot.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    String notYet = refusal(env("MIGRATION_MODE", "auto", "AUTO_MIGRATE", "true"));
    assertTrue(notYet.contains("AUTO_MIGRATE=true") && notYet.contains("migrate"), notYet);
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
  void theSeedSettingsNotReadYetAreNamedForTheStartUpWarning() {
    assertEquals(List.of("BOT_SERVICE_URL", "PROFILE_CACHE_ENABLED", "ENABLE_DB_FALLBACK"),
        SeedVariables.notRead(env("PROFILE_CACHE_ENABLED", "true", "MONOLITH_API_URL", "http://monolith:8000",
            "BOT_SERVICE_URL", "http://localhost:8001", "ENABLE_DB_FALLBACK", "false", "USE_MONOLITH", "false")));
    assertEquals(List.of(), SeedVariables.notRead(env("ENABLE_DB_FALLBACK", "true", "REDIS_DB", "1")),
        "the database fallback is on today, and REDIS_DB is read");
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
}
