package io.splitbot.shared.http;

import static io.splitbot.shared.http.ThrottleTesting.await;
import static io.splitbot.shared.http.ThrottleTesting.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The script's answers, read in the real Redis: waits, refills, all scopes or none, keys that expire, bots apart. */
@ExtendWith(VertxExtension.class)
class RedisRateGateTest {
  private final String prefix = "test:throttle:" + UUID.randomUUID();
  private final List<RateGate> gates = new ArrayList<>();
  private Redis client;
  private RedisAPI redis;

  @BeforeEach
  void connect(Vertx vertx) {
    client = ThrottleTesting.redis(vertx, ThrottleTesting.REDIS_URL, 2000);
    redis = RedisAPI.api(client);
  }

  @AfterEach
  void close() throws Exception {
    gates.forEach(RateGate::close);
    await(client.close(), 10);
  }

  @Test
  void aFullGlobalWindowAnswersTheWaitAndGivesAPermitOnceItMoves(Vertx vertx) throws Exception {
    // Two in any second (1.25 s with the guard).
    RateGate gate = gate(vertx, new OutgoingThrottle.Limits(2, 2, 0, 1, 0), "telegram:1");
    assertEquals(0, acquire(gate, null));
    assertEquals(0, acquire(gate, null));
    long wait = acquire(gate, null);
    assertTrue(wait > 1100 && wait <= 1250, "the first send leaves the window 1.25 s after it went, told to wait " + wait);
    long ttl = pttl("{telegram:1}:global");
    assertTrue(ttl > 0 && ttl <= 1250, "the window lives a window after its last send: " + ttl);

    until(() -> acquireNow(gate, null) == 0, 5, () -> "the window never moved on");
  }

  @Test
  void aSendTakesFromEveryScopeItNeedsOrFromNone(Vertx vertx) throws Exception {
    // Overall three at once; a private chat one, a group one a minute; nothing refills within the test.
    RateGate gate = gate(vertx, new OutgoingThrottle.Limits(0.01, 3, 0.01, 1, 1), "telegram:1");
    assertEquals(0, acquire(gate, "7"));
    RateGate.Answer chatFull = await(gate.acquire("7"), 10);
    assertTrue(chatFull.waitMs() > 1000 && chatFull.chatHolds(), "chat 7 is empty, and says so: " + chatFull);
    assertEquals(0, acquire(gate, "-100"));
    long groupWait = acquire(gate, "-100");
    assertTrue(groupWait > 1000 && groupWait <= 60_000, "the group waits for its window: " + groupWait);
    assertEquals(0, acquire(gate, "8"), "the refusals took nothing from the global window");
    RateGate.Answer globalFull = await(gate.acquire("9"), 10);
    assertTrue(globalFull.waitMs() > 1000 && !globalFull.chatHolds(), "the global window is full now: " + globalFull);
    long windowTtl = pttl("{telegram:1}:group:-100");
    assertTrue(windowTtl > 0 && windowTtl <= 60_000, "a group's window lives a minute after its last send: " + windowTtl);
  }

  @Test
  void keysLeftIdleExpire(Vertx vertx) throws Exception {
    // Ten a second, one at once: a used bucket is full again after 100 ms and goes a second later.
    RateGate gate = gate(vertx, new OutgoingThrottle.Limits(10, 1, 10, 1, 0), "telegram:1");
    assertEquals(0, acquire(gate, "7"));
    assertTrue(exists("{telegram:1}:global") && exists("{telegram:1}:chat:7"));
    until(() -> !exists("{telegram:1}:global") && !exists("{telegram:1}:chat:7"), 10, () -> "idle keys stayed");
  }

  @Test
  void twoBotsOnOneRedisKeepTheirOwnLimits(Vertx vertx) throws Exception {
    OutgoingThrottle.Limits oneAtATime = new OutgoingThrottle.Limits(0.01, 1, 0, 1, 0);
    RateGate first = gate(vertx, oneAtATime, RateGate.botName("telegram", "111111:AAAAAAAAAAAAAAAAAAAAAAAAA"));
    RateGate second = gate(vertx, oneAtATime, RateGate.botName("telegram", "222222:AAAAAAAAAAAAAAAAAAAAAAAAA"));
    RateGate maxBot = gate(vertx, oneAtATime, RateGate.botName("max", "a-max-token-of-twenty-chars"));
    assertEquals(0, acquire(first, null));
    assertTrue(acquire(first, null) > 0);
    assertEquals(0, acquire(second, null), "another bot's bucket is its own");
    assertEquals(0, acquire(maxBot, null), "and so is another platform's");
    assertTrue(exists("{telegram:111111}:global"), "a Telegram bot's keys carry its id, not its token");
    List<String> maxKeys = keys("{max:*}:global");
    assertEquals(1, maxKeys.size());
    assertTrue(!maxKeys.get(0).contains("twenty"), "a MAX bot's keys carry a hash of its token: " + maxKeys);
  }

  @Test
  void workersSharingABotCountEachOther(Vertx vertx) throws Exception {
    OutgoingThrottle.Limits limits = OutgoingThrottle.Limits.flood(30, 1, 20);
    List<RedisRateGate> three = List.of(gate(vertx, limits, "telegram:1"), gate(vertx, limits, "telegram:1"),
        gate(vertx, limits, "telegram:1"));
    RedisRateGate otherBot = gate(vertx, limits, "telegram:2");
    until(() -> three.stream().allMatch(g -> g.sharers() == 3), 15, () -> "the workers did not count each other");
    assertEquals(1, otherBot.sharers());
  }

  private RedisRateGate gate(Vertx vertx, OutgoingThrottle.Limits limits, String bot) {
    RedisRateGate gate = new RedisRateGate(vertx, redis, prefix, limits, bot);
    gates.add(gate);
    return gate;
  }

  /** The wait the gate answered, or 0 for a permit. */
  private static long acquire(RateGate gate, String chatKey) throws Exception {
    return await(gate.acquire(chatKey), 10).waitMs();
  }

  private static long acquireNow(RateGate gate, String chatKey) {
    try {
      return acquire(gate, chatKey);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private long pttl(String key) throws Exception {
    return await(redis.pttl(prefix + ":" + key), 10).toLong();
  }

  private boolean exists(String key) {
    try {
      return await(redis.exists(List.of(prefix + ":" + key)), 10).toInteger() == 1;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<String> keys(String pattern) throws Exception {
    List<String> found = new ArrayList<>();
    await(redis.keys(prefix + ":" + pattern), 10).forEach(r -> found.add(r.toString()));
    return found;
  }
}
