package io.splitbot.edge.spool;

import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Vertx;

/**
 * Picks the spool named by {@code SPOOL}: the file journal under {@code DATA_DIR/spool}, or Redis under
 * {@link SpoolFence#KEY_PREFIX} (shared with the workers, which read the partitions' epochs there).
 */
public final class Spools {

  private Spools() {
  }

  public static Spool create(Vertx vertx, SplitbotConfig config) {
    int max = config.delivery().spoolMaxUpdates();
    return switch (config.delivery().spool()) {
      case "file" -> new FileSpool(vertx, config.dataDir().resolve("spool"), max);
      case "redis" -> new RedisSpool(vertx, config.redis(), config.delivery(), SpoolFence.KEY_PREFIX);
      default -> throw new IllegalArgumentException("unknown spool '" + config.delivery().spool() + "'; SPOOL is file or redis");
    };
  }
}
