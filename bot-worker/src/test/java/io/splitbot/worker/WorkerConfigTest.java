package io.splitbot.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.ConfigException;
import io.splitbot.worker.monitoring.AlertThresholds;
import io.splitbot.worker.monitoring.MonitoringSettings;
import io.splitbot.worker.profile.ProfileSettings;
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

  @Test
  void seed001sProfileSwitchesWithTheirDefaultsAndRanges() {
    ProfileSettings defaults = WorkerConfig.fromEnv(Map.of()).profiles();
    assertEquals(new ProfileSettings(720 * 3600, true, 3000, 100), defaults);
    assertEquals(new ProfileSettings(3600, false, 5000, 25), WorkerConfig.fromEnv(Map.of("PROFILE_TTL", "1h",
        "PROFILE_CACHE_ENABLED", "false", "PROFILE_CACHE_TIMEOUT", "5s", "PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE", "25")).profiles());
    assertEquals("PROFILE_CACHE_ENABLED must be true or false, got 'maybe'", error("PROFILE_CACHE_ENABLED", "maybe"));
    assertEquals("PROFILE_CACHE_TIMEOUT must be a duration like 30s, 15m, 720h or 2d, got '3 sec'",
        error("PROFILE_CACHE_TIMEOUT", "3 sec"));
    assertEquals("PROFILE_CACHE_TIMEOUT must be between 1s and 60s, got '0s'", error("PROFILE_CACHE_TIMEOUT", "0s"));
    assertEquals("PROFILE_CACHE_TIMEOUT must be between 1s and 60s, got '2m'", error("PROFILE_CACHE_TIMEOUT", "2m"));
    assertEquals("PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE must be between 0 and 100, got 101",
        error("PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE", "101"));
    assertEquals("PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE must be a whole number, got '25%'",
        error("PROFILE_INTEGRATION_ROLLOUT_PERCENTAGE", "25%"));
  }

  @Test
  void monitoringIsOnByDefaultAndTheBackgroundCheckRunsEveryHealthCheckIntervalSeconds() {
    assertEquals(new MonitoringSettings(true, 0), WorkerConfig.fromEnv(Map.of()).monitoring());
    assertEquals(new MonitoringSettings(false, 60), WorkerConfig.fromEnv(Map.of("MONITORING_ENABLED", "false",
        "HEALTH_CHECK_INTERVAL", "60")).monitoring());
    assertEquals(3600, WorkerConfig.fromEnv(Map.of("HEALTH_CHECK_INTERVAL", "3600")).monitoring().healthCheckSeconds());
    assertEquals("HEALTH_CHECK_INTERVAL must be between 60 and 3600, got 59", error("HEALTH_CHECK_INTERVAL", "59"));
    assertEquals("HEALTH_CHECK_INTERVAL must be between 60 and 3600, got 3601", error("HEALTH_CHECK_INTERVAL", "3601"));
    assertEquals("MONITORING_ENABLED must be true or false, got 'off'", error("MONITORING_ENABLED", "off"));
  }
}
