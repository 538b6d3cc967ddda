package io.splitbot.tests.support;

import io.splitbot.testkit.BotTester;
import io.splitbot.testkit.FreePorts;
import io.splitbot.testkit.FakeMaxApi;
import java.io.IOException;
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

  /** A port for a server started later, which no outgoing connection can take meanwhile ({@link FreePorts}). */
  public static int freePort() {
    return FreePorts.next();
  }

  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A webhook-mode environment pointing at the fake Bot API, the testkit's (free ports, raised outgoing limits: the
   * throttle itself is tested against Telegram's real limits in BotApiClientTest) with this suite's token and secret.
   */
  public static Map<String, String> webhookEnv(String apiUrl, Path dataDir) {
    Map<String, String> env = BotTester.env(TOKEN, apiUrl, dataDir);
    env.put("TELEGRAM_WEBHOOK_SECRET", WEBHOOK_SECRET);
    return env;
  }

  /** A copy of {@code base} with MAX turned on as well: webhook mode, the fake's token and URL, and {@code secret}. */
  public static Map<String, String> withMaxWebhook(Map<String, String> base, FakeMaxApi max, String secret) {
    Map<String, String> env = new HashMap<>(base);
    env.put("MAX_BOT_TOKEN", max.token());
    env.put("MAX_API_URL", max.baseUrl());
    env.put("MAX_MODE", "webhook");
    env.put("MAX_WEBHOOK_SECRET", secret);
    return env;
  }
}
