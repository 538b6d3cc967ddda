package io.splitbot.worker.monitoring;

import io.splitbot.shared.config.Env;

/**
 * {@code served} (MONITORING_ENABLED, seed 001's name): whether the worker serves /monitoring/* and the ops console;
 * health and /metrics are served either way. {@code healthCheckSeconds} (HEALTH_CHECK_INTERVAL, seed 003's, 60 to 3600):
 * the period of a background check of the worker's services that logs each change of state once; 0 when unset, and
 * the services are checked only when asked.
 */
public record MonitoringSettings(boolean served, int healthCheckSeconds) {
  public static MonitoringSettings fromEnv(Env env) {
    return new MonitoringSettings(env.bool("MONITORING_ENABLED", true), env.integer("HEALTH_CHECK_INTERVAL", 0, 60, 3600));
  }

  public boolean watched() {
    return healthCheckSeconds > 0;
  }
}
