package io.splitbot.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox runs offline from an operator's environment, seed 001's .env included. */
class SandboxEnvironmentTest {
  @Test
  void seed001sWebhookSettingsAreLeftOutSoTheSandboxPollsOffline(@TempDir Path dir) {
    Map<String, String> operator = new HashMap<>(Map.of("REDIS_DB", "1", "PROFILE_TTL", "720h",
        "PROFILE_CACHE_ENABLED", "true", "PROFILE_CACHE_TIMEOUT", "3s", "MAXBOT_HTTP_PORT", "8095",
        "WEBHOOK_SECRET", "webhook-secret-change-in-production", "WEBHOOK_ENABLED", "true", "MONITORING_ENABLED", "true",
        "DATA_DIR", dir.toString()));
    Map<String, String> env = Sandbox.environment(operator);
    for (String seedName : new String[] {"MAXBOT_HTTP_PORT", "WEBHOOK_SECRET", "WEBHOOK_ENABLED"}) {
      assertFalse(env.containsKey(seedName), seedName);
    }
    env.put("TELEGRAM_API_URL", "http://127.0.0.1:1");
    WorkerConfig config = WorkerConfig.fromEnv(env);
    assertTrue(config.core().telegram().polling());
    assertFalse(config.core().max().configured(), "no MAX webhook from seed 001's WEBHOOK_SECRET");
    assertEquals(0, config.core().http().edgePort(), "any free port, not the seed's webhook port");
  }
}
