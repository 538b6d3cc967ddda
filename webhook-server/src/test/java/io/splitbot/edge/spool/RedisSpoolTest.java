package io.splitbot.edge.spool;

import static io.splitbot.edge.spool.SpoolTesting.await;
import static io.splitbot.edge.spool.SpoolTesting.failure;
import static io.splitbot.edge.spool.SpoolTesting.ids;
import static io.splitbot.edge.spool.SpoolTesting.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import io.splitbot.edge.spool.Spool.Appended;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Against the Redis at 127.0.0.1:6379, and a private redis-server for outages and persistence settings. */
@ExtendWith(VertxExtension.class)
class RedisSpoolTest {

  private static final String REDIS = "redis://127.0.0.1:6379";

  @TempDir
  Path dir;

  private final String prefix = "splitbot:test:" + UUID.randomUUID();
  private final List<Spool> opened = new ArrayList<>();
  private Process server;

  @BeforeEach
  void noStaleKeys(Vertx vertx) throws Throwable {
    deleteKeys(vertx);
  }

  @AfterEach
  void cleanUp(Vertx vertx) throws Throwable {
    for (Spool spool : opened) {
      await(spool.close());
    }
    stopServer();
    deleteKeys(vertx);
  }

  /** A spool configured as the edge would be ({@link SpoolTesting#redisConfig}), holding at most {@code max}. */
  private RedisSpool spool(Vertx vertx, String url, int max, String... settings) {
    List<String> all = new ArrayList<>(List.of("SPOOL_MAX_UPDATES", Integer.toString(max)));
    all.addAll(List.of(settings));
    SplitbotConfig config = SpoolTesting.redisConfig(url, all.toArray(String[]::new));
    RedisSpool spool = new RedisSpool(vertx, config.redis(), config.delivery(), prefix);
    opened.add(spool);
    return spool;
  }

  @Test
  void aSpoolOpenedAfterAnotherFeedsWhatIsStillHeldInEachChatsAppendOrder(Vertx vertx) throws Throwable {
    RedisSpool spool = spool(vertx, REDIS, 100);
    await(spool.open(new Fed()));
    for (long id : new long[] {101, 102, 103, 104, 105, 106}) {
      assertEquals(Appended.STORED, await(spool.append(update(id))));
    }
    await(spool.remove(update(102)));
    await(spool.remove(update(999))); // unknown: a no-op
    assertEquals(5, spool.size());
    await(spool.close()); // hands its partitions on at once

    RedisSpool reopened = spool(vertx, REDIS, 100);
    Fed fed = new Fed();
    await(reopened.open(fed));
    SpoolTesting.awaitTrue("5 updates fed", () -> fed.distinct().size() == 5);
    assertEquals(List.of(101L, 103L, 104L, 105L, 106L), ids(fed.distinct()).stream().sorted().toList());
    for (long chat = 0; chat < 3; chat++) {
      String lane = "telegram:" + chat;
      List<Long> ofChat = ids(fed.distinct().stream().filter(u -> u.lane().equals(lane)).toList());
      assertEquals(ofChat.stream().sorted().toList(), ofChat, "chat " + chat + " in append order");
    }
    assertEquals(update(104), fed.distinct().stream().filter(u -> u.order() == 104).findFirst().orElseThrow());
    assertEquals(5, reopened.size());
  }

  @Test
  void duplicateIdIsAlreadySpooled(Vertx vertx) throws Throwable {
    RedisSpool spool = spool(vertx, REDIS, 100);
    await(spool.open(new Fed()));
    assertEquals(Appended.STORED, await(spool.append(update(7))));
    assertEquals(Appended.ALREADY_SPOOLED, await(spool.append(update(7))));
    assertEquals(1, spool.size());
    String stream = prefix + ":p" + SpoolPartitions.of(update(7).lane(), SpoolPartitions.DEFAULT) + ":stream";
    assertEquals(1L, await(Redis.createClient(vertx, REDIS).send(Request.cmd(Command.XLEN).arg(stream))).toLong());
  }

  @Test
  void fullSpoolRefusesAndRecoversAfterRemoves(Vertx vertx) throws Throwable {
    RedisSpool spool = spool(vertx, REDIS, 3);
    await(spool.open(new Fed()));
    for (long id = 1; id <= 3; id++) {
      await(spool.append(update(id)));
    }
    assertInstanceOf(SpoolFullException.class, failure(spool.append(update(4))));
    assertEquals(Appended.ALREADY_SPOOLED, await(spool.append(update(3))));
    await(spool.remove(update(1)));
    assertEquals(Appended.STORED, await(spool.append(update(4))));
    assertEquals(3, spool.size());
  }

  @Test
  void burstOfAppendsAndPagedOpen(Vertx vertx) throws Throwable {
    RedisSpool spool = spool(vertx, REDIS, 5000);
    await(spool.open(new Fed()));
    // Two bursts, each far more than the pool's connections; together more than two XRANGE pages (500).
    for (long first : new long[] {601, 1}) {
      Promise<List<Future<Appended>>> issued = Promise.promise();
      vertx.runOnContext(v -> issued.complete(
          LongStream.range(first, first + 600).mapToObj(id -> spool.append(update(id))).toList()));
      List<Future<Appended>> appends = await(issued.future());
      await(Future.all(appends));
      appends.forEach(append -> assertEquals(Appended.STORED, append.result()));
    }

    assertEquals(LongStream.rangeClosed(1, 1200).boxed().toList(), ids(held(vertx, REDIS)));
  }

  @Test
  void theDepthIsRightAfterABurstWhoseAnswersComeBackOutOfOrder(Vertx vertx) throws Throwable {
    RedisSpool spool = spool(vertx, REDIS, 5000);
    await(spool.open(new Fed()));
    // Appends and removes interleaved on the pool's connections: their answers return in any order, and the last
    // one to come back need not be the last one Redis ran.
    for (int round = 0; round < 5; round++) {
      long first = 10_000 + round * 400L;
      Promise<List<Future<Void>>> issued = Promise.promise();
      vertx.runOnContext(v -> issued.complete(LongStream.range(first, first + 400)
          .mapToObj(id -> spool.append(update(id)).compose(a -> spool.remove(update(id))))
          .toList()));
      await(Future.all(await(issued.future())));
      assertEquals(0, spool.size(), "round " + round);
    }
  }

  @Test
  void outageFailsFastRecoversByItselfAndKeepsWhatWasStored(Vertx vertx) throws Throwable {
    int port = freePort();
    String url = "redis://127.0.0.1:" + port;
    startServer(port);
    try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(RedisSpool.class)) {
      RedisSpool spool = spool(vertx, url, 100);
      await(spool.open(new Fed()));
      assertEquals(Appended.STORED, await(spool.append(update(1))));
      assertEquals(Appended.STORED, await(spool.append(update(2))));

      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // a crash, not a clean shutdown
      for (long id = 3; id <= 5; id++) {
        long started = System.nanoTime();
        Throwable refused = failure(spool.append(update(id)));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertFalse(refused instanceof SpoolFullException, refused.toString());
        assertTrue(tookMs < 3000, "a refused append took " + tookMs + " ms");
      }
      assertEquals(1, log.lines(Level.WARN).size(), log.lines(Level.WARN).toString());

      startServer(port);
      Appended appended = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (appended == null && System.nanoTime() < deadline) {
        try {
          appended = await(spool.append(update(3)));
        } catch (Exception notYet) {
          Thread.sleep(100);
        }
      }
      assertEquals(Appended.STORED, appended, "the spool did not recover after Redis came back");
      assertEquals(1, log.lines(Level.INFO).stream().filter(line -> line.contains("reachable again")).count());
      assertEquals(1, log.lines(Level.WARN).size());

      // 1 and 2 were acked before the crash: AOF brought them back.
      assertEquals(List.of(1L, 2L, 3L), ids(held(vertx, url)));
    }
  }

  @Test
  void aRemoveThatFailsIsDoneOnceRedisIsBack(Vertx vertx) throws Throwable {
    int port = freePort();
    String url = "redis://127.0.0.1:" + port;
    startServer(port);
    RedisSpool spool = spool(vertx, url, 100);
    await(spool.open(new Fed()));
    assertEquals(Appended.STORED, await(spool.append(update(1))));
    assertEquals(Appended.STORED, await(spool.append(update(2))));

    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    failure(spool.remove(update(1))); // the worker handled it while Redis was down
    assertEquals(2, spool.size());
    startServer(port);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (spool.size() != 1) {
      assertTrue(System.nanoTime() < deadline, "the failed remove was not done again: depth " + spool.size());
      Thread.sleep(50);
    }
    assertEquals(List.of(2L), ids(held(vertx, url)), "update 1 is gone from Redis too");
  }

  @Test
  void hungRedisTimesOutInsteadOfQueuing(Vertx vertx) throws Throwable {
    int port = freePort();
    startServer(port);
    RedisSpool spool = spool(vertx, "redis://127.0.0.1:" + port, 100, "REDIS_COMMAND_TIMEOUT_MS", "500");
    await(spool.open(new Fed()));
    signal("STOP"); // the process is alive and the socket open, but nothing answers
    try {
      Throwable refused = failure(spool.append(update(1)));
      assertInstanceOf(TimeoutException.class, refused.getCause());
      assertTrue(refused.getMessage().contains("EVALSHA") && refused.getMessage().contains("500 ms"), refused.getMessage());
    } finally {
      signal("CONT");
    }
    // The timed-out script may still have run once Redis resumed: the redelivery then finds it, never a lost ack.
    Appended again = await(spool.append(update(1)));
    assertTrue(again == Appended.STORED || again == Appended.ALREADY_SPOOLED, again.toString());
    assertEquals(List.of(1L), ids(held(vertx, "redis://127.0.0.1:" + port)));
  }

  @Test
  void theHolderSkipsAnUnreadableEntryAndNamesItInTheLog(Vertx vertx) throws Throwable {
    RedisSpool spool = spool(vertx, REDIS, 100);
    await(spool.open(new Fed()));
    await(spool.append(update(1)));
    await(spool.append(update(2)));
    await(spool.close());
    String stream = prefix + ":p" + SpoolPartitions.of(update(1).lane(), SpoolPartitions.DEFAULT) + ":stream";
    Redis redis = Redis.createClient(vertx, REDIS);
    List<String> bad = new ArrayList<>();
    try {
      for (List<String> fields : List.of(List.of("id", "3", "env", "{not json"), List.of("id", "4"),
          List.of("id", "5", "env", "{\"raw\":\"no update_id\"}"), List.of("id", "6", "env", "[1,2]"),
          List.of("id", "8", "env", "{\"update_id\":8}"))) {
        Request xadd = Request.cmd(Command.XADD).arg(stream).arg("*");
        fields.forEach(xadd::arg);
        bad.add(await(redis.send(xadd)).toString());
      }
    } finally {
      await(redis.close());
    }

    try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(RedisSpool.class)) {
      RedisSpool holder = spool(vertx, REDIS, 100);
      Fed fed = new Fed();
      await(holder.open(fed));
      await(holder.append(update(7)));
      SpoolTesting.awaitTrue("1, 2 and 7 fed", () -> fed.distinct().size() == 3);
      assertEquals(List.of(1L, 2L, 7L), ids(fed.distinct()).stream().sorted().toList());
      SpoolTesting.awaitTrue("a warning per unreadable entry", () -> log.lines(Level.WARN).size() >= bad.size());
      List<String> warnings = log.lines(Level.WARN);
      assertEquals(bad.size(), warnings.size(), warnings.toString());
      for (int i = 0; i < bad.size(); i++) {
        assertTrue(warnings.get(i).contains("entry " + bad.get(i) + " is unreadable"), warnings.get(i));
      }
    }
  }

  @Test
  void refusesARedisWithoutAppendOnlyFileUnlessTheOperatorAcceptsIt(Vertx vertx) throws Throwable {
    int port = freePort();
    startServer(port, "--appendonly", "no", "--requirepass", "s3cret-pw");
    String url = "redis://:s3cret-pw@127.0.0.1:" + port;

    Throwable refused = failure(spool(vertx, url, 100, "SPOOL_REDIS_VOLATILE", "false").open(new Fed()));
    String line = refused.getMessage();
    assertTrue(line.contains("appendonly no") && line.contains("a Redis restart would lose every acked update")
        && line.contains("SPOOL_REDIS_VOLATILE=true"), line);
    assertFalse(line.contains("s3cret-pw") || line.contains("\n"), line);

    try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(RedisPersistence.class)) {
      await(spool(vertx, url, 100).open(new Fed()));
      List<String> warnings = log.lines(Level.WARN);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).startsWith("SPOOL_REDIS_VOLATILE=true") && warnings.get(0).contains("loses every acked update"), warnings.get(0));
    }
  }

  @Test
  void infoAloneTellsThatThereIsNoAppendOnlyFile(Vertx vertx) throws Throwable {
    int port = freePort();
    startServer(port, "--appendonly", "no", "--rename-command", "CONFIG", "");
    Throwable refused = failure(spool(vertx, "redis://127.0.0.1:" + port, 100, "SPOOL_REDIS_VOLATILE", "false").open(new Fed()));
    assertTrue(refused.getMessage().contains("SPOOL_REDIS_VOLATILE=true"), refused.getMessage());
  }

  @Test
  void appendfsyncEverysecIsLoggedAsAOneSecondWindow(Vertx vertx) throws Throwable {
    int port = freePort();
    startServer(port, "--appendonly", "yes", "--appendfsync", "everysec");
    try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(RedisPersistence.class)) {
      await(spool(vertx, "redis://127.0.0.1:" + port, 100, "SPOOL_REDIS_VOLATILE", "false").open(new Fed()));
      List<String> warnings = log.lines(Level.WARN);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("appendfsync everysec") && warnings.get(0).contains("up to one second of acked updates"),
          warnings.get(0));
    }
  }

  @Test
  void aServerThatAllowsNeitherConfigNorInfoIsLoggedAsUnknownAndStillUsed(Vertx vertx) throws Throwable {
    int port = freePort();
    // As a managed Key Value may: both commands are off. Without AOF, so a guess of "durable" would be wrong.
    startServer(port, "--appendonly", "no", "--rename-command", "CONFIG", "", "--rename-command", "INFO", "");
    try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(RedisPersistence.class)) {
      RedisSpool spool = spool(vertx, "redis://127.0.0.1:" + port, 100, "SPOOL_REDIS_VOLATILE", "false");
      await(spool.open(new Fed()));
      List<String> warnings = log.lines(Level.WARN);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains("cannot tell what an ack is worth"), warnings.get(0));
      assertEquals(Appended.STORED, await(spool.append(update(1))));
    }
  }

  @Test
  void waitAofIsRefusedOnARedisThatDoesNotHaveIt(Vertx vertx) throws Throwable {
    assumeTrue(serverVersionBelow(7, 2), "this redis-server has WAITAOF");
    int port = freePort();
    startServer(port);
    Throwable refused = failure(spool(vertx, "redis://127.0.0.1:" + port, 100, "SPOOL_REDIS_WAITAOF", "true").open(new Fed()));
    assertTrue(refused.getMessage().contains("SPOOL_REDIS_WAITAOF=true needs WAITAOF (Redis 7.2 or later"), refused.getMessage());
  }

  @Test
  void waitAofAcksEachGroupOfAppendsAfterOneFsync(Vertx vertx) throws Throwable {
    assumeTrue(!serverVersionBelow(7, 2), "WAITAOF needs redis-server 7.2 or later; this machine has an older one");
    int port = freePort();
    startServer(port, "--appendonly", "yes", "--appendfsync", "everysec");
    String url = "redis://127.0.0.1:" + port;
    RedisSpool spool = spool(vertx, url, 1000, "SPOOL_REDIS_VOLATILE", "false", "SPOOL_REDIS_WAITAOF", "true");
    await(spool.open(new Fed()));
    Promise<List<Future<Appended>>> issued = Promise.promise();
    vertx.runOnContext(v -> issued.complete(LongStream.rangeClosed(1, 300).mapToObj(id -> spool.append(update(id))).toList()));
    List<Future<Appended>> appends = await(issued.future());
    await(Future.all(appends));
    appends.forEach(append -> assertEquals(Appended.STORED, append.result()));

    Redis redis = Redis.createClient(vertx, url);
    try {
      String stats = await(redis.send(Request.cmd(Command.INFO).arg("commandstats"))).toString();
      long waits = Long.parseLong(stats.replaceAll("(?s).*cmdstat_waitaof:calls=(\\d+).*", "$1"));
      // One at start, then one per group: 300 appends issued together share a few.
      assertTrue(waits >= 2 && waits < 100, "WAITAOF calls: " + waits);
    } finally {
      await(redis.close());
    }
    assertEquals(LongStream.rangeClosed(1, 300).boxed().toList(), ids(held(vertx, url)));
  }

  /** Whether the redis-server on this machine is older than major.minor. */
  private static boolean serverVersionBelow(int major, int minor) throws Exception {
    Process version = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
    String out = new String(version.getInputStream().readAllBytes());
    version.waitFor(10, TimeUnit.SECONDS);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\d+)\\.(\\d+)").matcher(out);
    assertTrue(m.find(), out);
    int have = Integer.parseInt(m.group(1)) * 1000 + Integer.parseInt(m.group(2));
    return have < major * 1000 + minor;
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(server.pid())).start();
    assertTrue(kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + name + " failed");
  }

  /** A private redis-server with AOF fsynced on every write, or with {@code settings} in its place. */
  private void startServer(int port, String... settings) throws Exception {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--dir", dir.toString()));
    command.addAll(settings.length > 0 ? List.of(settings) : List.of("--appendonly", "yes", "--appendfsync", "always"));
    stopServer(); // a test starts one server at a time
    server = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("redis.log").toFile())
        .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  private void stopServer() throws InterruptedException {
    if (server != null && server.isAlive()) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void deleteKeys(Vertx vertx) throws Throwable {
    SpoolTesting.deleteKeys(vertx, REDIS, prefix);
  }

  /** Every update the spool at {@code url} holds, read from its partitions' streams, in update order. */
  private List<UpdateEnvelope> held(Vertx vertx, String url) throws Throwable {
    return SpoolTesting.held(vertx, url, prefix, SpoolPartitions.DEFAULT);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
