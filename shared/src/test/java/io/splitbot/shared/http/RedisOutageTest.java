package io.splitbot.shared.http;

import static io.splitbot.shared.http.ThrottleTesting.await;
import static io.splitbot.shared.http.ThrottleTesting.mostInOneSecond;
import static io.splitbot.shared.http.ThrottleTesting.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * Redis away: each worker counts on its own with its share of the limits (as many workers as it last saw), so the
 * sends go on and stay within the bot's limits; the outage is logged once when it starts and once when it ends.
 */
@ExtendWith(VertxExtension.class)
class RedisOutageTest {
  private final String prefix = "test:throttle:" + UUID.randomUUID();
  private final List<Redis> clients = new ArrayList<>();
  private final List<OutgoingThrottle> throttles = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger gateLog = (Logger) LoggerFactory.getLogger(RedisRateGate.class);

  @BeforeEach
  void listen() {
    logs.start();
    gateLog.addAppender(logs);
  }

  @AfterEach
  void stop() throws Exception {
    gateLog.detachAppender(logs);
    throttles.forEach(OutgoingThrottle::close);
    for (Redis client : clients) {
      await(client.close(), 10);
    }
  }

  @Test
  void withRedisUnreachableSendsGoOutWithinTheLimitsAndTheOutageIsLoggedOnce(Vertx vertx) throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    OutgoingThrottle.Limits limits = OutgoingThrottle.Limits.flood(20, 1, 20);
    OutgoingThrottle throttle = throttle(vertx, "redis://127.0.0.1:" + closedPort, limits);

    Map<String, List<Long>> sent = send(List.of(throttle), 60);

    List<Long> all = sent.values().stream().flatMap(List::stream).toList();
    assertEquals(65, all.size(), "every send went out");
    int most = mostInOneSecond(all);
    assertTrue(most <= 20 + 20 + 4, most + " sends in one second, the bot may make 40 (and 4 of slack)");
    assertTrue(mostInOneSecond(sent.get("busy")) <= 4, "the private chat's limit held");
    assertEquals(1, lines(Level.WARN), "the outage is logged once, not per send: " + logs.list);
    String line = logs.list.get(0).getFormattedMessage();
    assertTrue(line.contains("telegram:1") && line.contains("1/1"), line);
    assertTrue(!line.contains("127.0.0.1") && !line.contains(String.valueOf(closedPort)), "no host in the log: " + line);
  }

  @Test
  void whenRedisGoesAwayEachWorkerKeepsItsShareAndWhenItIsBackTheyShareAgain(Vertx vertx) throws Exception {
    RedisProxy proxy = new RedisProxy(vertx);
    String url = await(proxy.start(), 10);
    try {
      OutgoingThrottle.Limits limits = OutgoingThrottle.Limits.flood(30, 1, 20);
      List<RedisRateGate> gates = new ArrayList<>();
      List<OutgoingThrottle> three = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Redis client = ThrottleTesting.redis(vertx, url, 1000);
        clients.add(client);
        RedisRateGate gate = new RedisRateGate(vertx, RedisAPI.api(client), prefix, limits, "telegram:1");
        gates.add(gate);
        three.add(new OutgoingThrottle(gate));
      }
      throttles.addAll(three);
      until(() -> gates.stream().allMatch(g -> g.sharers() == 3), 15, () -> "the workers did not count each other");
      logs.list.clear(); // a cold start may have been slow enough to count as an outage already

      proxy.cut();
      Map<String, List<Long>> sent = send(three, 90);

      List<Long> all = sent.values().stream().flatMap(List::stream).toList();
      assertEquals(95, all.size(), "every send went out");
      int most = mostInOneSecond(all);
      assertTrue(most <= 30 + 30 + 6, most + " sends in one second, the bot may make 60 (and 6 of slack)");
      assertTrue(mostInOneSecond(sent.get("busy")) <= 4, "the private chat's limit held");
      assertEquals(3, lines(Level.WARN), "each worker logs the outage once: " + logs.list);
      assertTrue(logs.list.stream().allMatch(e -> e.getFormattedMessage().contains("1/3")), logs.list.toString());

      proxy.restore();
      until(() -> lines(Level.INFO) == 3, 15, () -> "the workers did not find Redis again: " + logs.list);
      Redis direct = ThrottleTesting.redis(vertx, ThrottleTesting.REDIS_URL, 2000);
      clients.add(direct);
      await(gates.get(0).acquire("after"), 10);
      assertEquals(1, await(RedisAPI.api(direct).exists(List.of(prefix + ":{telegram:1}:chat:after")), 10).toInteger(),
          "counted in Redis again");
      assertEquals(3, lines(Level.WARN), "and nothing more was logged");
      assertEquals(3, lines(Level.INFO));
    } finally {
      await(proxy.stop(), 10);
    }
  }

  private OutgoingThrottle throttle(Vertx vertx, String url, OutgoingThrottle.Limits limits) {
    Redis client = ThrottleTesting.redis(vertx, url, 1000);
    clients.add(client);
    OutgoingThrottle throttle = new OutgoingThrottle(
        new RedisRateGate(vertx, RedisAPI.api(client), prefix, limits, "telegram:1"));
    throttles.add(throttle);
    return throttle;
  }

  /** {@code chats} sends to as many chats, spread over the throttles, and five to one private chat, "busy". */
  private static Map<String, List<Long>> send(List<OutgoingThrottle> throttles, int chats) throws Exception {
    Map<String, List<Long>> sent = new ConcurrentHashMap<>();
    List<Future<Void>> sends = new ArrayList<>();
    for (int i = 0; i < chats + 5; i++) {
      String chat = i < chats ? String.valueOf(5000 + i) : "busy";
      OutgoingThrottle throttle = throttles.get(i % throttles.size());
      // As a sender does: the chat's lane starts the task, which takes its permit right before it sends.
      sends.add(throttle.submit(chat, () -> ThrottleTesting.permitted(throttle, chat).map(permit -> {
        sent.computeIfAbsent(chat, c -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
        return (Void) null;
      })));
    }
    await(Future.all(sends), 60);
    return sent;
  }

  private int lines(Level level) {
    return (int) logs.list.stream().filter(e -> e.getLevel() == level).count();
  }
}
