package io.splitbot.tests.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.edge.routing.RolloutRouter;
import io.splitbot.shared.config.ConfigException;
import io.splitbot.shared.config.Role;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.update.UpdateEnvelope;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-chat rollout decision: spread, stickiness, monotonic raises, allow list, emergency switch, config checks. */
class RolloutRouterTest {
  private static final String LEGACY = UpdateEnvelope.ROUTE_LEGACY;
  private static final String WORKER = UpdateEnvelope.ROUTE_WORKER;

  static RolloutRouter router(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("TELEGRAM_WEBHOOK_SECRET", "secret");
    env.put("LEGACY_WEBHOOK_URL", "http://legacy.internal:3000/telegram");
    env.putAll(extra);
    return new RolloutRouter(SplitbotConfig.fromEnv(env, Role.EDGE).routing());
  }

  /** Chat ids as Telegram hands them out: private chats (positive) and supergroups (-100…). */
  static String chat(int i) {
    return i % 4 == 0 ? String.valueOf(-1_001_234_000_000L - i) : String.valueOf(100_000_000L + 7L * i);
  }

  @Test
  void twentyFivePercentOfTenThousandChatsGoToTheNewWorkerWithinTwoPoints() {
    RolloutRouter router = router(Map.of("ROLLOUT_PERCENTAGE", "25"));
    int toWorker = 0;
    for (int i = 0; i < 10_000; i++) {
      if (router.route(chat(i)).equals(WORKER)) {
        toWorker++;
      }
    }
    double share = toWorker / 100.0;
    System.out.println("[rollout] 25% asked, " + share + "% of 10000 chats on the new worker");
    assertTrue(share >= 23 && share <= 27, "share on the new worker: " + share + "%");
  }

  @Test
  void aChatAlwaysTakesTheSameRouteAndRaisingTo50MovesNoChatBackToLegacy() {
    RolloutRouter at25 = router(Map.of("ROLLOUT_PERCENTAGE", "25"));
    RolloutRouter at25again = router(Map.of("ROLLOUT_PERCENTAGE", "25"));
    RolloutRouter at50 = router(Map.of("ROLLOUT_PERCENTAGE", "50"));
    int moved = 0;
    int newAt50 = 0;
    for (int i = 0; i < 10_000; i++) {
      String chat = chat(i);
      String first = at25.route(chat);
      for (int k = 0; k < 3; k++) {
        assertEquals(first, at25.route(chat), "chat " + chat + " changed route without a config change");
      }
      assertEquals(first, at25again.route(chat), "chat " + chat + " routed differently by another router (another process)");
      String raised = at50.route(chat);
      if (first.equals(WORKER)) {
        assertEquals(WORKER, raised, "chat " + chat + " went back to legacy when the rollout was raised");
      } else if (raised.equals(WORKER)) {
        moved++;
      }
      if (raised.equals(WORKER)) {
        newAt50++;
      }
    }
    assertTrue(newAt50 >= 4_800 && newAt50 <= 5_200, "at 50%: " + newAt50 + " of 10000 chats on the new worker");
    assertTrue(moved > 2_000, "raising to 50% moved " + moved + " legacy chats to the new worker");
    // The bucket is a fixed function of the key: pinned so a change of hash (which would reshuffle chats) fails here.
    assertEquals(RolloutRouter.bucket("123456789"), RolloutRouter.bucket(new String("123456789")));
  }

  @Test
  void theEdgesOfTheRangeAndTheAllowList() {
    RolloutRouter none = router(Map.of("ROLLOUT_PERCENTAGE", "0", "ROLLOUT_ALLOW_CHATS", "42, -1009876543210"));
    RolloutRouter all = router(Map.of("ROLLOUT_PERCENTAGE", "100"));
    RolloutRouter unset = router(Map.of());
    for (int i = 0; i < 2_000; i++) {
      assertEquals(LEGACY, none.route(chat(i)));
      assertEquals(WORKER, all.route(chat(i)));
      assertEquals(LEGACY, unset.route(chat(i)), "the default rollout is 0%: nothing moves until it is raised");
    }
    assertEquals(WORKER, none.route("42"), "an allowed chat goes to the new worker at 0%");
    assertEquals(WORKER, none.route("-1009876543210"));

    RolloutRouter noLegacy = new RolloutRouter(SplitbotConfig.fromEnv(Map.of("TELEGRAM_WEBHOOK_SECRET", "s"), Role.EDGE).routing());
    assertEquals(WORKER, noLegacy.route(chat(1)), "without LEGACY_WEBHOOK_URL everything goes to the new worker");
  }

  @Test
  void theEmergencySwitchSendsEveryChatToLegacyEvenAllowedOnesAt100Percent() {
    RolloutRouter router = router(Map.of("ROLLOUT_PERCENTAGE", "100", "ROLLOUT_ALLOW_CHATS", "42", "USE_LEGACY", "true"));
    for (int i = 0; i < 10_000; i++) {
      assertEquals(LEGACY, router.route(chat(i)));
    }
    assertEquals(LEGACY, router.route("42"));
  }

  @Test
  void badRoutingSettingsStopStartUpNamingTheVariable() {
    assertEquals("ROLLOUT_PERCENTAGE must be between 0.0 and 100.0, got 101",
        assertThrows(ConfigException.class, () -> router(Map.of("ROLLOUT_PERCENTAGE", "101"))).getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> router(Map.of("ROLLOUT_PERCENTAGE", "-1")))
        .getMessage().startsWith("ROLLOUT_PERCENTAGE"));
    assertTrue(assertThrows(ConfigException.class, () -> router(Map.of("ROLLOUT_PERCENTAGE", "half")))
        .getMessage().startsWith("ROLLOUT_PERCENTAGE must be a number"));
    assertTrue(assertThrows(ConfigException.class, () -> router(Map.of("ROLLOUT_ALLOW_CHATS", "42,@channel")))
        .getMessage().contains("ROLLOUT_ALLOW_CHATS must be a comma-separated list of chat ids"));
    assertTrue(assertThrows(ConfigException.class, () -> router(Map.of("LEGACY_WEBHOOK_URL", "legacy:3000")))
        .getMessage().startsWith("LEGACY_WEBHOOK_URL must be an http or https URL"));
    assertTrue(assertThrows(ConfigException.class, () -> router(Map.of("LEGACY_WEBHOOK_SECRET", "has spaces")))
        .getMessage().startsWith("LEGACY_WEBHOOK_SECRET may hold only"));
    assertTrue(assertThrows(ConfigException.class, () -> router(Map.of("USE_LEGACY", "maybe")))
        .getMessage().startsWith("USE_LEGACY must be true or false"));
    ConfigException noUrl = assertThrows(ConfigException.class, () -> SplitbotConfig.fromEnv(
        Map.of("TELEGRAM_WEBHOOK_SECRET", "s", "USE_LEGACY", "true"), Role.EDGE));
    assertTrue(noUrl.getMessage().startsWith("USE_LEGACY=true needs LEGACY_WEBHOOK_URL"), noUrl.getMessage());
    // The legacy secret never shows in the configuration's text.
    String text = SplitbotConfig.fromEnv(Map.of("TELEGRAM_WEBHOOK_SECRET", "s", "LEGACY_WEBHOOK_URL", "http://l:1",
        "LEGACY_WEBHOOK_SECRET", "legacy-secret-value"), Role.EDGE).routing().toString();
    assertTrue(!text.contains("legacy-secret-value"), text);
  }
}
