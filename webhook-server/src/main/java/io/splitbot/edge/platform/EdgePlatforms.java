package io.splitbot.edge.platform;

import io.splitbot.edge.platform.telegram.TelegramEdge;
import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Vertx;
import java.util.List;

/** The platforms this edge serves, from the configuration. */
public final class EdgePlatforms {
  private EdgePlatforms() {
  }

  public static List<EdgePlatform> enabled(Vertx vertx, SplitbotConfig config) {
    return List.of(new TelegramEdge(vertx, config));
  }
}
