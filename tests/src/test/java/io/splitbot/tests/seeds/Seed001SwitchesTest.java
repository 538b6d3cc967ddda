package io.splitbot.tests.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.BotTester;
import io.splitbot.testkit.FakeMaxApi;
import io.splitbot.tests.support.HoldingRedisProxy;
import io.splitbot.tests.support.Http;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.MaxChat;
import io.splitbot.tests.support.MaxTestUpdates;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.SeedEnv;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.WebhookDeliverer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 001's own .env block ({@code seeds/001.env}, verbatim) runs splitbot with MAX, each of its switches taking
 * effect: REDIS_DB, PROFILE_TTL, PROFILE_CACHE_ENABLED, PROFILE_CACHE_TIMEOUT, MAXBOT_HTTP_PORT, WEBHOOK_SECRET,
 * MONITORING_ENABLED, and its compose file's REDIS_ADDR. Redis is a private server behind a proxy that can make it
 * late for one command.
 */
@ExtendWith(VertxExtension.class)
class Seed001SwitchesTest {
  private static final String MAX_TOKEN = "seed001-max-token_0123456789abcdefXYZ";
  private static final long USER = 4_200_001;
  private static final long DIALOG = 84_200_001;
  private static final Duration START = Duration.ofSeconds(60);

  private Vertx vertx;
  private FakeMaxApi max;
  private Path dir;
  private RedisServerProcess redisServer;
  private HoldingRedisProxy proxy;
  private JvmProcess bot;
  private Redis redisClient;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    max = new FakeMaxApi(vertx, MAX_TOKEN);
    max.start().await();
    dir = TestEnv.tempDir("seed001");
    redisServer = new RedisServerProcess(dir, RedisServerProcess.VOLATILE).start();
    proxy = new HoldingRedisProxy(redisServer.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (redisClient != null) {
      redisClient.close();
    }
    if (bot != null) {
      bot.close();
    }
    proxy.close();
    redisServer.close();
    max.stop().await();
  }

  /**
   * The seed's .env with the local values filled in: its compose file's REDIS_ADDR (here the proxy), free ports for
   * MAXBOT_HTTP_PORT and the worker, the fake MAX API, and WEBHOOK_ENABLED=true as the seed's phase 2 appends it.
   */
  private Map<String, String> seedEnv() {
    Map<String, String> env = SeedEnv.load("seeds/001.env");
    assertEquals("1", env.get("REDIS_DB"), "the seed's own block");
    env.put("MAXBOT_HTTP_PORT", String.valueOf(TestEnv.freePort()));
    env.put("REDIS_ADDR", proxy.address());
    env.put("WEBHOOK_ENABLED", "true");
    env.put("MAX_BOT_TOKEN", MAX_TOKEN);
    env.put("MAX_API_URL", max.baseUrl());
    env.put("WORKER_PORT", String.valueOf(TestEnv.freePort()));
    env.put("DATA_DIR", dir.resolve("data").toString());
    return env;
  }

  private MaxChat startBot(Map<String, String> env) throws Exception {
    bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir);
    int edge = Integer.parseInt(env.get("MAXBOT_HTTP_PORT"));
    int worker = workerPort(env);
    bot.awaitHttp("http://127.0.0.1:" + worker + "/health/ready", 200, START);
    BotTester handled = BotTester.external(null, edge, worker, env.get("WEBHOOK_SECRET"));
    return new MaxChat(max, WebhookDeliverer.max(edge, env.get("WEBHOOK_SECRET")), handled, DIALOG, USER, "ru");
  }

  private static int workerPort(Map<String, String> env) {
    return Integer.parseInt(env.get("WORKER_PORT"));
  }

  /** Redis database {@code db} of the private server, straight (not through the proxy). */
  private RedisAPI database(int db) {
    if (redisClient != null) {
      redisClient.close();
    }
    redisClient = Redis.createClient(vertx, redisServer.url() + "/" + db);
    return RedisAPI.api(redisClient);
  }

  private static List<String> keys(RedisAPI redis, String pattern) {
    return redis.keys(pattern).await().stream().map(Object::toString).sorted().toList();
  }

  private static JsonObject profileCounts(int worker) throws Exception {
    JsonObject health = Http.get(worker, "/monitoring/cache-health").json();
    return health.getJsonObject("platforms").getJsonObject("max").getJsonObject("caches")
        .getJsonObject("profiles", new JsonObject().put("hits", 0L).put("misses", 0L));
  }

  @Test
  void theProfileLandsInRedisDatabaseOneForPROFILE_TTLAndALateCacheIsAMiss() throws Exception {
    Map<String, String> env = seedEnv();
    // Redis's other commands wait out the held answer instead of counting as an outage.
    env.put("REDIS_COMMAND_TIMEOUT_MS", "20000");
    env.put("PROFILE_CACHE_TIMEOUT", "1s");
    MaxChat user = startBot(env);
    int worker = workerPort(env);

    user.start();
    String key = "profile:max:" + USER;
    RedisAPI db1 = database(1);
    Poll.until(() -> !keys(db1, key).isEmpty(), Duration.ofSeconds(10), () -> key + " never landed in database 1");
    assertEquals(user.name().split(" ")[0], db1.hget(key, "first_name").await().toString());
    long ttl = db1.ttl(key).await().toLong();
    assertTrue(ttl > 720 * 3600 - 600 && ttl <= 720 * 3600, "PROFILE_TTL=720h, ttl " + ttl);
    assertEquals(List.of(), keys(database(0), "profile:*"), "nothing in database 0");

    JsonObject health = Http.get(worker, "/monitoring/cache-health").json();
    assertEquals(new JsonObject().put("enabled", true), health.getJsonObject("profile_cache"), health.encodePrettily());

    user.send("hello");
    JsonObject before = profileCounts(worker);
    assertTrue(before.getLong("hits") >= 1, "the second update found the profile in the cache: " + before);

    // Redis answers the next profile lookup only after 5 s: past PROFILE_CACHE_TIMEOUT, the storage answers instead.
    proxy.holdNext(Duration.ofSeconds(5), "HGETALL", key);
    int shown = user.messages().size();
    user.send("hello again");
    assertEquals(1, proxy.held(), "the lookup was held");
    assertTrue(user.messages().size() > shown, "the update was handled and answered: " + user.texts());
    JsonObject after = profileCounts(worker);
    assertEquals(before.getLong("misses") + 1, after.getLong("misses"),
        "the late lookup counted a miss although the profile was cached: " + before + " -> " + after);
    assertEquals(before.getLong("hits"), after.getLong("hits"), "and no hit: " + before + " -> " + after);
  }

  @Test
  void withTheProfileCacheOffTheProfileIsStoredAndNothingIsCached() throws Exception {
    Map<String, String> env = seedEnv();
    env.put("PROFILE_CACHE_ENABLED", "false");
    MaxChat user = startBot(env);
    int worker = workerPort(env);

    user.start();
    user.send("hello");
    JsonObject coverage = Http.get(worker, "/monitoring/profiles/coverage").json();
    assertEquals(1, coverage.getJsonObject("platforms").getJsonObject("max").getLong("users"), coverage.encodePrettily());
    assertEquals(List.of(), keys(database(1), "profile:*"), "no profile cached in REDIS_DB");
    assertEquals(List.of(), keys(database(0), "profile:*"), "nor anywhere else");
    assertFalse(keys(database(1), "*").isEmpty(), "Redis is in use all the same (dedup, sessions), in database 1");

    JsonObject health = Http.get(worker, "/monitoring/cache-health").json();
    JsonObject profileCache = health.getJsonObject("profile_cache");
    assertEquals(false, profileCache.getBoolean("enabled"), health.encodePrettily());
    assertTrue(profileCache.getString("reason").startsWith("PROFILE_CACHE_ENABLED=false"), profileCache.encode());
    assertFalse(health.getJsonObject("caches").containsKey("profiles"), "no lookups counted: " + health.encode());
  }

  @Test
  void withTheWebhookOffMaxIsPolledAndNoSubscriptionIsLeftOrMade() throws Exception {
    Map<String, String> env = seedEnv();
    // The seed's first deploy, and its rollback: the webhook off, though the public URL stays in the environment.
    env.put("WEBHOOK_ENABLED", "false");
    env.put("MAX_WEBHOOK_PUBLIC_URL", "https://bot.example.com");
    max.subscribe("https://bot.example.com/webhook/max");
    bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir);
    bot.awaitHttp("http://127.0.0.1:" + workerPort(env) + "/health/ready", 200, START);

    max.pushUpdate(MaxTestUpdates.botStarted(DIALOG, USER, System.currentTimeMillis()));
    max.await(() -> !max.messages(DIALOG).isEmpty(), Duration.ofSeconds(30), () -> "the polled update got no answer");
    assertEquals(List.of(), max.subscriptions(), "the subscription left from before is removed");
    assertEquals(List.of(), max.calls("POST /subscriptions"), "and none is made");
    assertTrue(bot.output().contains("MAX is polled: MAX_WEBHOOK_PUBLIC_URL is not subscribed"), bot.output());
    RedisAPI db1 = database(1);
    Poll.until(() -> !keys(db1, "profile:max:" + USER).isEmpty(), Duration.ofSeconds(10),
        () -> "the polled sender's profile never landed in database 1");
  }

  @Test
  void withMonitoringOffItsPathsAreUnknownAndHealthStays() throws Exception {
    Map<String, String> env = seedEnv();
    env.put("MONITORING_ENABLED", "false");
    startBot(env);
    int worker = workerPort(env);

    for (String path : List.of("/monitoring/cache-health", "/monitoring/webhook/stats", "/monitoring/profiles/coverage",
        "/console/", "/console/api/overview")) {
      Http.Answer answer = Http.get(worker, path);
      assertEquals(404, answer.status(), path + ": " + answer.body());
      assertEquals("not found", answer.json().getString("error"), answer.body());
    }
    assertEquals(200, Http.get(worker, "/health/ready").status());
    assertEquals(200, Http.get(worker, "/health/live").status());
    assertEquals(200, Http.get(Integer.parseInt(env.get("MAXBOT_HTTP_PORT")), "/health/services").status());
    Http.Answer metrics = Http.get(worker, "/metrics");
    assertEquals(200, metrics.status(), "the Prometheus scrape stays: seed 001 has its own switch for it");
  }

  @Test
  void aSeedNameThatContradictsSplitbotsStopsTheJarWithOneLineNamingBoth() throws Exception {
    Map<String, String> env = seedEnv();
    env.put("MAX_CONCURRENT_REQUESTS", "10");
    env.put("WORKER_CONCURRENCY", "64");
    bot = JvmProcess.startClassPath("bot", List.of(JvmProcess.workerJar()), "io.splitbot.worker.WorkerMain", env, dir);
    int code = bot.waitForExit(START);
    String output = bot.output();
    assertTrue(code != 0, "exit code " + code + ": " + output);
    List<String> lines = bot.errors().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line on stderr: " + output);
    assertTrue(lines.get(0).contains("MAX_CONCURRENT_REQUESTS=10") && lines.get(0).contains("WORKER_CONCURRENCY=64"),
        lines.get(0));
    assertFalse(output.contains("\tat "), "no stack trace: " + output);
  }
}
