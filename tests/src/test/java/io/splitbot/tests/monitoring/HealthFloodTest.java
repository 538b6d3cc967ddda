package io.splitbot.tests.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.monitoring.SharedProbe;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.tests.storage.AirtableEnv;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * bot-worker.jar (edge and worker in one JVM, the desk on Airtable's fake, 5 requests/s): 3,000 concurrent GETs of
 * /health/services cost the Airtable base a handful of health calls (the fake counts them), every one is answered
 * 200, and a user's /my sent during the flood is answered in normal time.
 */
@ExtendWith(VertxExtension.class)
class HealthFloodTest {
  private static final int CONCURRENT = 3_000;
  private static final AtomicReference<String> FIRST_FAILURE = new AtomicReference<>();

  @Test
  void threeThousandConcurrentHealthGetsCostTheBaseAHandfulOfProbesAndMyIsAnsweredMeanwhile(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    // Airtable's 5 requests/s, with a penalty as short as the bot's AIRTABLE_RETRY_AFTER_429 here (not 30 s)
    FakeAirtableApi airtable = FakeAirtableApi.start(vertx, AirtableEnv.TABLES).await().rateLimit(5, 600);
    Path dir = TestEnv.tempDir("health-flood");
    Map<String, String> env = DeskHarness.env(fake, dir.resolve("data"));
    env.putAll(AirtableEnv.env(airtable));
    int edgePort = Integer.parseInt(env.get("PORT"));
    DeskHarness desk = DeskHarness.external(fake, edgePort, Integer.parseInt(env.get("WORKER_PORT")));
    // Its own Vert.x: the flood's callbacks must not hold up the fakes' event loops, which stand for remote services.
    Vertx flooder = Vertx.vertx();
    HttpClient client = flooder.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(edgePort),
        new PoolOptions().setHttp1MaxSize(CONCURRENT));
    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + edgePort + "/health/ready", 200, Duration.ofSeconds(60));
      TestChat kate = desk.user(4_242, "Kate", "Brown", "en");
      kate.send("/my");
      assertEquals("You have no requests yet. Send /new to file one.", kate.lastMessage().text());

      int probesBefore = airtable.oneRecordLists();
      int requestsBefore = airtable.requests();
      AtomicInteger answered = new AtomicInteger();
      Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
      long floodStart = System.nanoTime();
      for (int i = 0; i < CONCURRENT; i++) {
        flooder.runOnContext(v -> healthGet(client, answered, statuses));
      }
      long sent = System.nanoTime();
      int beforeMy = answered.get();
      kate.send("/my");
      long myMillis = (System.nanoTime() - sent) / 1_000_000;
      Poll.until(() -> answered.get() == CONCURRENT, Duration.ofSeconds(60), () -> "the flood got " + answered.get() + " answers");
      long floodMillis = (System.nanoTime() - floodStart) / 1_000_000;

      assertEquals("You have no requests yet. Send /new to file one.", kate.lastMessage().text());
      assertTrue(myMillis < 10_000, "/my answered in " + myMillis + " ms during the flood");
      assertTrue(beforeMy < CONCURRENT, "/my was sent while the flood was on: " + beforeMy + " answered by then");
      assertEquals(Map.of(200, statuses.get(200)), statuses, "every health GET answered 200: " + statuses + "; the first other answer: " + FIRST_FAILURE.get());

      // One probe per dependency at a time, its answer shared for SharedProbe.DEFAULT_TTL_MS: a handful, not thousands.
      int probes = airtable.oneRecordLists() - probesBefore;
      long bound = 2 + floodMillis / SharedProbe.DEFAULT_TTL_MS;
      assertTrue(probes <= bound, probes + " health calls to the base for " + answered.get()
          + " health GETs in " + floodMillis + " ms (bound " + bound + ")");
      int calls = airtable.requests() - requestsBefore;
      assertTrue(calls < 40, calls + " Airtable calls in all during the flood (the probes and /my's own)");
    } finally {
      flooder.close().await();
      airtable.close();
    }
  }

  private static void healthGet(HttpClient client, AtomicInteger answered, Map<Integer, Integer> statuses) {
    client.request(HttpMethod.GET, "/health/services")
        .compose(req -> req.send().compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) {
            FIRST_FAILURE.compareAndSet(null, resp.statusCode() + " " + b);
          }
          return resp.statusCode();
        })))
        .onComplete(ar -> {
          if (ar.failed()) {
            FIRST_FAILURE.compareAndSet(null, String.valueOf(ar.cause()));
          }
          statuses.merge(ar.succeeded() ? ar.result() : -1, 1, Integer::sum);
          answered.incrementAndGet();
        });
  }
}
