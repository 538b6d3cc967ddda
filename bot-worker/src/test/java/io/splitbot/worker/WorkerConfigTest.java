package io.splitbot.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.worker.monitoring.AlertThresholds;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker's own settings: the alert thresholds are numbers in [0, 1], and a wrong one names its variable. */
class WorkerConfigTest {
  private static String error(String name, String value) {
    return assertThrows(ConfigException.class, () -> WorkerConfig.fromEnv(Map.of(name, value))).getMessage();
  }

  @Test
  void profileTtlIsTheRuntimesWith720hByDefaultAndAtLeastAMinute() {
    assertEquals(720 * 3600, WorkerConfig.fromEnv(Map.of()).profileTtlSeconds());
    assertEquals(172800, WorkerConfig.fromEnv(Map.of("PROFILE_TTL", "2d")).profileTtlSeconds());
    assertTrue(error("PROFILE_TTL", "forever").startsWith("PROFILE_TTL must be a duration"));
    assertTrue(error("PROFILE_TTL", "5s").startsWith("PROFILE_TTL must be at least"));
  }

  @Test
  void alertThresholdsDefaultTo08And005AndTakeAnyShare() {
    assertEquals(new AlertThresholds(0.8, 0.05), WorkerConfig.fromEnv(Map.of()).alerts());
    assertEquals(new AlertThresholds(0.95, 0.0), WorkerConfig.fromEnv(Map.of(
        "PROFILE_QUALITY_ALERT_THRESHOLD", " 0.95 ", "WEBHOOK_ERROR_ALERT_THRESHOLD", "0")).alerts());
    assertEquals(new AlertThresholds(1, 1), WorkerConfig.fromEnv(Map.of(
        "PROFILE_QUALITY_ALERT_THRESHOLD", "1", "WEBHOOK_ERROR_ALERT_THRESHOLD", "1.0")).alerts());
  }

  @Test
  void aThresholdOutsideZeroToOneOrNotANumberStopsStartUpNamingIt() {
    assertEquals("PROFILE_QUALITY_ALERT_THRESHOLD must be between 0.0 and 1.0, got 1.5",
        error("PROFILE_QUALITY_ALERT_THRESHOLD", "1.5"));
    assertEquals("PROFILE_QUALITY_ALERT_THRESHOLD must be a number, got '80%'", error("PROFILE_QUALITY_ALERT_THRESHOLD", "80%"));
    assertEquals("WEBHOOK_ERROR_ALERT_THRESHOLD must be between 0.0 and 1.0, got -0.01",
        error("WEBHOOK_ERROR_ALERT_THRESHOLD", "-0.01"));
    assertEquals("WEBHOOK_ERROR_ALERT_THRESHOLD must be between 0.0 and 1.0, got NaN", error("WEBHOOK_ERROR_ALERT_THRESHOLD", "NaN"));
    assertEquals("WEBHOOK_ERROR_ALERT_THRESHOLD must be a number, got 'five percent'",
        error("WEBHOOK_ERROR_ALERT_THRESHOLD", "five percent"));
  }
}
