package io.splitbot.tests.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Values every end-to-end test shares: the bot token, the webhook secret, free ports and scratch folders. */
public final class TestEnv {
  public static final String TOKEN_SECRET_PART = "AAHsplitbotTestTokenSecretPart0042";
  public static final String TOKEN = "123456789:" + TOKEN_SECRET_PART;
  public static final String WEBHOOK_SECRET = "e2e-webhook-secret-7f3a";

  private TestEnv() {
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A webhook-mode environment pointing at the fake Bot API. Outgoing limits are raised so bulk runs finish
   * quickly; the throttle itself is tested against Telegram's real limits in BotApiClientTest.
   */
  public static Map<String, String> webhookEnv(String apiUrl, Path dataDir) {
    Map<String, String> env = new HashMap<>();
    env.put("TELEGRAM_BOT_TOKEN", TOKEN);
    env.put("TELEGRAM_API_URL", apiUrl);
    env.put("TELEGRAM_MODE", "webhook");
    env.put("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET);
    env.put("TELEGRAM_GLOBAL_RATE", "2000");
    env.put("TELEGRAM_CHAT_RATE", "200");
    env.put("TELEGRAM_GROUP_RATE_PER_MIN", "100000");
    env.put("PORT", String.valueOf(freePort()));
    env.put("WORKER_PORT", String.valueOf(freePort()));
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("DATA_DIR", dataDir.toString());
    env.put("SHUTDOWN_GRACE_SECONDS", "5");
    return env;
  }
}
