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
  void theSeedSettingsNotReadYetAreNamedForTheStartUpWarning() {
    assertEquals(List.of("MONOLITH_API_URL", "PROFILE_CACHE_ENABLED", "ENABLE_DB_FALLBACK"),
        SeedVariables.notRead(env("PROFILE_CACHE_ENABLED", "true", "MONOLITH_API_URL", "http://monolith:8000",
            "ENABLE_DB_FALLBACK", "false", "USE_MONOLITH", "false")));
    assertEquals(List.of(), SeedVariables.notRead(env("ENABLE_DB_FALLBACK", "true", "REDIS_DB", "1")),
        "the database fallback is on today, and REDIS_DB is read");
    assertEquals(List.of(), SeedVariables.notRead(env("MIGRATION_BATCH_SIZE", "50", "AUTO_MIGRATE", "true")),
        "the auto migration reads its batch size");
  }

  @Test
  void anEnvironmentWithoutSeedNamesIsReadAsItIs() {
    Map<String, String> plain = env("REDIS_URL", "redis://127.0.0.1:6379");
    assertTrue(SeedVariables.apply(plain) == plain);
  }
}
