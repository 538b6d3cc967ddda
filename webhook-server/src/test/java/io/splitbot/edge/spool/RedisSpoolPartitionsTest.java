package io.splitbot.edge.spool;

import static io.splitbot.edge.spool.SpoolTesting.await;
import static io.splitbot.edge.spool.SpoolTesting.awaitTrue;
import static io.splitbot.edge.spool.SpoolTesting.failure;
import static io.splitbot.edge.spool.SpoolTesting.ids;
import static io.splitbot.edge.spool.SpoolTesting.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.edge.spool.Spool.Appended;
import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several edges on one Redis spool (docs/SCALING.md, section 1): each edge is its own Vert.x instance here, as it is its
 * own process in production. Against the Redis at 127.0.0.1:6379, under a prefix of the test's own.
 */
@ExtendWith(VertxExtension.class)
class RedisSpoolPartitionsTest {

  private static final String REDIS = "redis://127.0.0.1:6379";
  private static final int P = 4;

  private final String prefix = "splitbot:test:" + UUID.randomUUID();
  private final List<RedisSpool> opened = new ArrayList<>();
  private final List<Vertx> edges = new ArrayList<>();

  @AfterEach
  void cleanUp(Vertx vertx) throws Throwable {
    for (RedisSpool spool : opened) {
      await(spool.abandon());
    }
    for (Vertx edge : edges) {
      await(edge.close());
    }
    SpoolTesting.deleteKeys(vertx, REDIS, prefix);
  }

  /** An edge's spool on a Vert.x of its own. */
  private RedisSpool edge(int partitions) {
    Vertx vertx = Vertx.vertx();
    edges.add(vertx);
    SplitbotConfig config = SpoolTesting.redisConfig(REDIS, "SPOOL_PARTITIONS", Integer.toString(partitions));
    RedisSpool spool = new RedisSpool(vertx, config.redis(), config.delivery(), prefix);
    opened.add(spool);
    return spool;
  }

  @Test
  void aChatAlwaysMapsToOnePartitionAndChatsSpreadOverAll() {
    // Fixed for good: CRC32("123") = 0x884863D2. A change here would split chats between edges of two versions.
    assertEquals(0x884863D2L % 16, SpoolPartitions.of("123", 16));
    assertEquals(SpoolPartitions.of("max:-100500", 16), SpoolPartitions.of("max:-100500", 16));
    int[] perPartition = new int[16];
    IntStream.range(0, 16_000).forEach(chat -> perPartition[SpoolPartitions.of(Integer.toString(chat), 16)]++);
    for (int count : perPartition) {
      assertTrue(count > 500 && count < 1500, "1,000 chats per partition expected, got " + count);
    }
    assertEquals(0, SpoolPartitions.of("anything", 1));
  }

  @Test
  void twoEdgesSplitThePartitionsAndOneOfThemFeedsAChatInAppendOrderThenTakesOverWhenTheOtherIsKilled() throws Throwable {
    RedisSpool first = edge(P);
    Fed firstFed = new Fed();
    await(first.open(firstFed));
    awaitTrue("the first edge holds every partition", () -> first.partitionsHeld() == P);
    RedisSpool second = edge(P);
    Fed secondFed = new Fed();
    await(second.open(secondFed));
    awaitTrue("each edge holds half", () -> first.partitionsHeld() == P / 2 && second.partitionsHeld() == P / 2);

    // Telegram sends a chat's next update once the previous one is acked, to whichever edge.
    for (long id = 1; id <= 10; id++) {
      assertEquals(Appended.STORED, await((id % 2 == 0 ? second : first).append(update(id, "42"))));
    }
    awaitTrue("the chat's 10 updates fed", () -> firstFed.distinct().size() + secondFed.distinct().size() == 10);
    boolean firstHolds = firstFed.distinct().size() == 10;
    Fed holderFed = firstHolds ? firstFed : secondFed;
    Fed otherFed = firstHolds ? secondFed : firstFed;
    assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), ids(holderFed.updates()), "once each, in append order");
    assertEquals(List.of(), otherFed.updates(), "the other edge feeds none of the chat");
    int partition = SpoolPartitions.of("42", P);
    holderFed.submitted().forEach(s -> assertEquals(partition, s.fence().partition()));

    // The holder is killed: it stops renewing, and the survivor takes its partitions once their leases lapse.
    RedisSpool holder = firstHolds ? first : second;
    RedisSpool survivor = firstHolds ? second : first;
    Fed survivorFed = firstHolds ? secondFed : firstFed;
    await(holder.abandon());
    await(survivor.append(update(11, "42")));
    awaitTrue("the survivor holds every partition", () -> survivor.partitionsHeld() == P);
    awaitTrue("the survivor feeds the chat", () -> survivorFed.distinct().size() == 11);
    assertEquals(LongStream.rangeClosed(1, 11).boxed().toList(), ids(survivorFed.distinct()), "from the oldest, in order");
    long epoch = survivorFed.submitted().get(0).fence().epoch();
    assertTrue(epoch > holderFed.submitted().get(0).fence().epoch(), "a newer epoch fences the killed edge's forwards");
    assertEquals(Long.toString(epoch), get(SpoolFence.epochKey(prefix, partition)));
  }

  @Test
  void aGracefulStopHandsThePartitionsOnAtOnce() throws Throwable {
    RedisSpool first = edge(P);
    await(first.open(new Fed()));
    awaitTrue("the first edge holds every partition", () -> first.partitionsHeld() == P);
    RedisSpool second = edge(P);
    await(second.open(new Fed()));
    awaitTrue("each edge holds half", () -> first.partitionsHeld() == P / 2 && second.partitionsHeld() == P / 2);

    await(first.close());
    long leases = IntStream.range(0, P).filter(n -> {
      try {
        return get(SpoolFence.partitionKey(prefix, n, "lease")) != null;
      } catch (Throwable e) {
        throw new AssertionError(e);
      }
    }).count();
    assertEquals(P / 2, leases, "the stopped edge's leases are deleted, not left to lapse");
    awaitTrue("the other edge takes them", () -> second.partitionsHeld() == P);
  }

  @Test
  void anEdgeWhoseLeaseIsTakenStopsForwardingThatPartitionAndReadsItAgainWhenItGetsItBack() throws Throwable {
    RedisSpool spool = edge(P);
    Fed fed = new Fed();
    await(spool.open(fed));
    awaitTrue("the edge holds every partition", () -> spool.partitionsHeld() == P);
    await(spool.append(update(1, "42")));
    awaitTrue("update 1 fed", () -> fed.distinct().size() == 1);
    int partition = SpoolPartitions.of("42", P);
    long epoch = fed.submitted().get(0).fence().epoch();

    String lease = SpoolFence.partitionKey(prefix, partition, "lease");
    send(Request.cmd(Command.SET).arg(lease).arg("another-edge:token").arg("PX").arg(60_000));
    awaitTrue("the partition revoked at the next renewal", () -> fed.revoked().contains(partition));
    assertEquals(P - 1, spool.partitionsHeld());

    send(Request.cmd(Command.DEL).arg(lease)); // the other edge lets it go
    awaitTrue("taken again and read from its oldest entry", () -> fed.submitted().size() == 2);
    SpoolFence again = fed.submitted().get(1).fence();
    assertEquals(update(1, "42"), fed.submitted().get(1).update());
    assertEquals(partition, again.partition());
    assertTrue(again.epoch() > epoch, again + " after " + epoch);
  }

  @Test
  void entriesAnEarlierVersionLeftUnpartitionedAreMovedIntoTheirPartitionsOnce() throws Throwable {
    for (long id : new long[] {3, 1, 2}) {
      UpdateEnvelope update = update(id, "7" + id);
      String entry = send(Request.cmd(Command.XADD).arg(prefix + ":stream").arg("*").arg("id").arg(update.key())
          .arg("env").arg(update.toJson().encode())).toString();
      send(Request.cmd(Command.HSET).arg(prefix + ":index").arg(update.key()).arg(entry));
    }
    String unreadable = send(Request.cmd(Command.XADD).arg(prefix + ":stream").arg("*").arg("id").arg("9").arg("env").arg("{oops"))
        .toString();

    RedisSpool spool = edge(P);
    Fed fed = new Fed();
    await(spool.open(fed));
    assertEquals(3, spool.size());
    assertEquals(List.of(1L, 2L, 3L), ids(SpoolTesting.held(newVertx(), REDIS, prefix, P)));
    assertEquals(1L, send(Request.cmd(Command.XLEN).arg(prefix + ":stream")).toLong(), "only the unreadable entry is left");
    assertEquals(unreadable, send(Request.cmd(Command.XRANGE).arg(prefix + ":stream").arg("-").arg("+")).get(0).get(0).toString());
    assertEquals(0L, send(Request.cmd(Command.HLEN).arg(prefix + ":index")).toLong());
    awaitTrue("the moved updates fed", () -> fed.distinct().size() == 3);
    assertEquals(Appended.ALREADY_SPOOLED, await(spool.append(update(2, "72"))), "found in its partition");

    RedisSpool another = edge(P); // a second edge opening later moves nothing twice
    await(another.open(new Fed()));
    assertEquals(3, another.size());
    assertEquals(List.of(1L, 2L, 3L), ids(SpoolTesting.held(newVertx(), REDIS, prefix, P)));
  }

  @Test
  void anEdgeWithAnotherNumberOfPartitionsRefusesAHeldSpool() throws Throwable {
    RedisSpool spool = edge(P);
    await(spool.open(new Fed()));
    await(spool.append(update(1, "5")));
    Throwable refused = failure(edge(P * 2).open(new Fed()));
    assertTrue(refused.getMessage().contains("SPOOL_PARTITIONS=" + (P * 2) + ", but the spool holds updates in " + P + " partitions"),
        refused.getMessage());
    await(spool.remove(update(1, "5")));
    await(edge(P * 2).open(new Fed())); // empty: the number may change
    assertEquals(Integer.toString(P * 2), get(prefix + ":partitions"));
  }

  private String get(String key) throws Throwable {
    Response value = send(Request.cmd(Command.GET).arg(key));
    return value == null ? null : value.toString();
  }

  private Response send(Request request) throws Throwable {
    Vertx vertx = edges.isEmpty() ? null : edges.get(0);
    Redis redis = Redis.createClient(vertx == null ? newVertx() : vertx, REDIS);
    try {
      return await(redis.send(request));
    } finally {
      await(redis.close());
    }
  }

  private Vertx newVertx() {
    Vertx vertx = Vertx.vertx();
    edges.add(vertx);
    return vertx;
  }
}
