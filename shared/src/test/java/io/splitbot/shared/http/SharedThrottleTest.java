package io.splitbot.shared.http;

import static io.splitbot.shared.http.ThrottleTesting.await;
import static io.splitbot.shared.http.ThrottleTesting.mostInOneSecond;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three workers' throttles (three Vert.x instances, each with its own Redis client and gate, as three bot-worker
 * processes build them) sending one burst of work: 200 chats at once and five busy chats that each worker writes to
 * twice. Counted on one clock, the sends of all three together keep to the bot's limits; three per-process throttles
 * given the same work do not, which is why the gate is in Redis.
 */
class SharedThrottleTest {
  private static final double RATE = 50;
  /** Flood limits: RATE in any second; a private chat 3 at once, then 1 per second. */
  private static final OutgoingThrottle.Limits LIMITS = OutgoingThrottle.Limits.flood(RATE, 1, 20);
  /** Any second holds at most the rate (the window's guard absorbs the test's own scheduling). */
  private static final int GLOBAL_MOST = (int) RATE;
  private static final int CHAT_MOST = (int) (LIMITS.chatBurst() + LIMITS.chatPerSecond());

  private final List<Vertx> workers = new ArrayList<>();
  private final List<Redis> clients = new ArrayList<>();
  private final List<OutgoingThrottle> throttles = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    throttles.forEach(OutgoingThrottle::close);
    for (Redis client : clients) {
      await(client.close(), 10);
    }
    for (Vertx vertx : workers) {
      await(vertx.close(), 10);
    }
  }

  @Test
  void threeWorkersTogetherKeepToTheLimitsOfOneBot() throws Exception {
    String prefix = "test:throttle:" + UUID.randomUUID();
    Map<String, List<Long>> sent = sendTheLoad(vertx -> {
      Redis client = ThrottleTesting.redis(vertx, ThrottleTesting.REDIS_URL, 2000);
      clients.add(client);
      return new RedisRateGate(vertx, RedisAPI.api(client), prefix, LIMITS, "telegram:123456");
    });

    List<Long> all = sent.values().stream().flatMap(List::stream).toList();
    assertEquals(230, all.size(), "every send went out");
    int most = mostInOneSecond(all);
    assertTrue(most <= GLOBAL_MOST, most + " sends in one second, the bot may make " + GLOBAL_MOST);
    for (int hot = 0; hot < 5; hot++) {
      List<Long> chat = sent.get("hot" + hot);
      assertEquals(6, chat.size());
      int inChat = mostInOneSecond(chat);
      assertTrue(inChat <= CHAT_MOST, inChat + " sends to one chat in one second, it may take " + CHAT_MOST);
    }
  }

  @Test
  void threePerProcessThrottlesGivenTheSameLoadSendTooFast() throws Exception {
    Map<String, List<Long>> sent = sendTheLoad(vertx -> new LocalRateGate(LIMITS));

    List<Long> all = sent.values().stream().flatMap(List::stream).toList();
    assertEquals(230, all.size());
    assertTrue(mostInOneSecond(all) > GLOBAL_MOST, "each process had the whole limit to itself");
    assertTrue(mostInOneSecond(sent.get("hot0")) > CHAT_MOST, "each process had the chat's whole burst to itself");
  }

  /**
   * Worker w sends to every third of chats 0..199, and twice to each of chats hot0..hot4; all at once. Answers when
   * each chat's sends started, on one clock, once it has checked that each worker's sends to a chat kept their order.
   */
  private Map<String, List<Long>> sendTheLoad(Function<Vertx, RateGate> gates) throws Exception {
    Map<String, List<Long>> sent = new ConcurrentHashMap<>();
    Map<String, List<String>> order = new ConcurrentHashMap<>();
    for (int w = 0; w < 3; w++) {
      Vertx vertx = Vertx.vertx();
      workers.add(vertx);
      throttles.add(new OutgoingThrottle(gates.apply(vertx)));
    }
    List<Future<Void>> sends = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      OutgoingThrottle throttle = throttles.get(w);
      List<String> chats = new ArrayList<>();
      for (int chat = w; chat < 200; chat += 3) {
        chats.add(String.valueOf(1000 + chat));
      }
      for (int hot = 0; hot < 5; hot++) {
        chats.add("hot" + hot);
        chats.add("hot" + hot);
      }
      for (String chat : chats) {
        String send = w + ":" + sends.size();
        // As a sender does: the chat's lane starts the task, which takes its permit right before it sends.
        sends.add(throttle.submit(chat, () -> ThrottleTesting.permitted(throttle, chat).map(permit -> {
          sent.computeIfAbsent(chat, c -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
          order.computeIfAbsent(chat, c -> new CopyOnWriteArrayList<>()).add(send);
          return null;
        })));
      }
    }
    await(Future.all(sends), 60);
    // Whatever the gate, each worker's sends to a chat went out in the order they were made.
    order.forEach((chat, made) -> {
      for (int w = 0; w < 3; w++) {
        String prefix = w + ":";
        List<Integer> mine = made.stream().filter(x -> x.startsWith(prefix))
            .map(x -> Integer.parseInt(x.substring(prefix.length()))).toList();
        assertEquals(mine.stream().sorted().toList(), mine, "worker " + w + "'s sends to " + chat);
      }
    });
    return sent;
  }
}
