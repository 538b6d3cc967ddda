package io.splitbot.edge.spool;

import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Vertx;

/** Picks the spool named by {@code SPOOL}: the file journal under {@code DATA_DIR/spool}, or Redis. */
public final class Spools {

  public static final String REDIS_KEY_PREFIX = "splitbot:spool";

  private Spools() {
  }

  public static Spool create(Vertx vertx, SplitbotConfig config) {
    int max = config.delivery().spoolMaxUpdates();
    return switch (config.delivery().spool()) {
      case "file" -> new FileSpool(vertx, config.dataDir().resolve("spool"), max);
      case "redis" -> new RedisSpool(vertx, config.redis(), config.delivery(), REDIS_KEY_PREFIX);
      default -> throw new IllegalArgumentException("unknown spool '" + config.delivery().spool() + "'; SPOOL is file or redis");
    };
  }
}
