package io.splitbot.worker;

import io.splitbot.shared.config.Env;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.worker.monitoring.AlertThresholds;
import io.splitbot.worker.monitoring.MonitoringSettings;
import io.splitbot.worker.profile.ProfileSettings;
import io.splitbot.worker.storage.StorageConfig;
import java.util.Map;

/**
 * Everything the runtime in bot-worker.jar reads from the environment at start-up: its own settings, the storage's,
 * the profiles' and the monitoring's. The bot module reads its own variables from {@code env} through the same checks.
 */
public record WorkerConfig(SplitbotConfig core, StorageConfig storage, AlertThresholds alerts, ProfileSettings profiles,
    MonitoringSettings monitoring, Map<String, String> env) {

  public WorkerConfig {
    env = Map.copyOf(env);
  }

  public static WorkerConfig fromEnv(Map<String, String> env) {
    SplitbotConfig core = SplitbotConfig.fromEnv(env, Role.ALL);
    Env read = new Env(env);
    return new WorkerConfig(core, StorageConfig.fromEnv(env, core.dataDir()), AlertThresholds.fromEnv(read),
        ProfileSettings.fromEnv(read), MonitoringSettings.fromEnv(read), env);
  }

  /** PROFILE_TTL: how long a captured profile stays cached and counts as fresh. */
  public long profileTtlSeconds() {
    return profiles.ttlSeconds();
  }

  /** BOT_MODULE: the module class to run, or null for the one on the classpath. */
  public String botModule() {
    String name = env.get("BOT_MODULE");
    return name == null || name.isBlank() ? null : name.trim();
  }
}
