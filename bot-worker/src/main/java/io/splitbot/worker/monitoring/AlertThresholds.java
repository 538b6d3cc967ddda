package io.splitbot.worker.monitoring;

import io.splitbot.shared.config.Env;

/**
 * The thresholds of the monitoring alerts, read once at start-up.
 *
 * @param profileQuality PROFILE_QUALITY_ALERT_THRESHOLD: a platform's share of captured profiles with a real first
 *     name below it raises {@code profile_quality}
 * @param webhookErrorRate WEBHOOK_ERROR_ALERT_THRESHOLD: a platform's share of the last minute's updates that failed
 *     (dead-lettered, or "retry later") above it raises {@code webhook_error_rate}
 */
public record AlertThresholds(double profileQuality, double webhookErrorRate) {
  public static final double DEFAULT_PROFILE_QUALITY = 0.8;
  public static final double DEFAULT_WEBHOOK_ERROR_RATE = 0.05;

  public static AlertThresholds defaults() {
    return new AlertThresholds(DEFAULT_PROFILE_QUALITY, DEFAULT_WEBHOOK_ERROR_RATE);
  }

  /** Throws ConfigException naming the variable for a value that is not a number in [0, 1]. */
  public static AlertThresholds fromEnv(Env env) {
    return new AlertThresholds(
        env.decimal("PROFILE_QUALITY_ALERT_THRESHOLD", DEFAULT_PROFILE_QUALITY, 0, 1),
        env.decimal("WEBHOOK_ERROR_ALERT_THRESHOLD", DEFAULT_WEBHOOK_ERROR_RATE, 0, 1));
  }
}
