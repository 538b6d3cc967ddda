package io.splitbot.edge.platform;

import io.splitbot.edge.platform.max.MaxEdge;
import io.splitbot.edge.platform.telegram.TelegramEdge;
import io.splitbot.shared.config.SplitbotConfig;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The platforms this edge serves: Telegram unless only MAX is configured, MAX when it is. */
public final class EdgePlatforms {
  private EdgePlatforms() {
  }

  public static List<EdgePlatform> enabled(Vertx vertx, SplitbotConfig config) {
    List<EdgePlatform> platforms = new ArrayList<>();
    if (config.telegramOn()) {
      platforms.add(new TelegramEdge(vertx, config));
    }
    if (config.max().configured()) {
      platforms.add(new MaxEdge(vertx, config.max()));
    }
    return platforms;
  }
}
