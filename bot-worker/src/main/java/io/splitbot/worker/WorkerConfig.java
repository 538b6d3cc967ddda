package io.splitbot.worker;

import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.worker.desk.DeskConfig;
import io.splitbot.worker.storage.StorageConfig;
import java.util.Map;

/**
 * Everything bot-worker.jar reads from the environment at start-up: the runtime's settings, the storage's, and the
 * desk bot's (admins, language, profile cache, internal API).
 */
public record WorkerConfig(SplitbotConfig core, StorageConfig storage, DeskConfig desk) {

  public static WorkerConfig fromEnv(Map<String, String> env) {
    SplitbotConfig core = SplitbotConfig.fromEnv(env, Role.ALL);
    return new WorkerConfig(core, StorageConfig.fromEnv(env, core.dataDir()), DeskConfig.fromEnv(env));
  }
}
