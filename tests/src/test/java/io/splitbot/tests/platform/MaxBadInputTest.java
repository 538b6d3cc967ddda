package io.splitbot.tests.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeMaxApi;
import io.splitbot.tests.support.MaxTestUpdates;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.worker.WorkerConfig;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /webhook/max under the edge's bad-input table: each bad request gets its 4xx with a JSON reason and reaches no
 * handler; an update of a type this version does not know is acked and handed to the bot; the edge keeps serving.
 * With only MAX configured, Telegram's webhook is not there at all.
 */
class MaxBadInputTest {
  static Vertx vertx;
  static FakeMaxApi max;
  static SplitbotApp app;
  static WebhookDeliverer webhook;
  static final String SECRET = MaxDeliveryTest.MAX_SECRET;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    max = new FakeMaxApi(vertx, MaxDeliveryTest.MAX_TOKEN);
    max.start().await();
    Map<String, String> env = Map.of(
        "MAX_BOT_TOKEN", MaxDeliveryTest.MAX_TOKEN,
        "MAX_API_URL", max.baseUrl(),
        "MAX_MODE", "webhook",
        "MAX_WEBHOOK_SECRET", SECRET,
        "PORT", "0",
        "WORKER_PORT", "0",
        "DATA_DIR", TestEnv.tempDir("max-bad-input").toString());
    BotModule echo = context -> new Bot()
        .text(ctx -> ctx.reply("echo " + ctx.text()))
        .fallback(ctx -> ctx.reply("saw " + ctx.updateType()));
    app = SplitbotApp.deploy(vertx, WorkerConfig.fromEnv(env), echo).await();
    webhook = WebhookDeliverer.max(app.edge().actualPort(), SECRET);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void eachBadRequestGetsItsStatusAndTheServerStillAcceptsAGoodUpdate() throws Exception {
    JsonObject message = MaxTestUpdates.message(51, 61, "mid.good", 1_775_000_000_000L, "survived");
    max.pushUpdate(message);
    String good = message.encode();

    expect(401, webhook.post(good, "application/json", null), "X-Max-Bot-Api-Secret");
    expect(401, webhook.post(good, "application/json", SECRET + "x"), "X-Max-Bot-Api-Secret");
    expect(400, webhook.post("this is not json", "application/json", SECRET), null);
    expect(400, webhook.post("[1, 2]", "application/json", SECRET), null);
    expect(400, webhook.post("{\"timestamp\": 1}", "application/json", SECRET), "update_type");
    expect(400, webhook.post("{\"update_type\": 5, \"timestamp\": 1}", "application/json", SECRET), "update_type");
    expect(400, webhook.post("{\"update_type\": \"message_created\", \"timestamp\": 1}", "application/json", SECRET), "message");
    JsonObject badMid = message.copy();
    badMid.getJsonObject("message").getJsonObject("body").put("mid", 7);
    expect(400, webhook.post(badMid.encode(), "application/json", SECRET), "message.body.mid");
    JsonObject noTime = message.copy();
    noTime.remove("timestamp");
    expect(400, webhook.post(noTime.encode(), "application/json", SECRET), "timestamp");
    expect(415, webhook.post(good, "text/plain", SECRET), null);
    expect(413, webhook.post("{\"update_type\": \"message_created\", \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}",
        "application/json", SECRET), null);
    for (String method : new String[] {"GET", "PUT", "DELETE"}) {
      expect(405, webhook.send(HttpRequest.newBuilder(URI.create(webhook.url()))
          .header("Content-Type", "application/json").header("X-Max-Bot-Api-Secret", SECRET)
          .method(method, HttpRequest.BodyPublishers.ofString(good)).build()), null);
    }
    // Only MAX is configured: Telegram's webhook is off.
    expect(404, webhook.send(HttpRequest.newBuilder(URI.create(webhook.url().replace("/max", "/telegram")))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build()), null);
    assertEquals(0, app.worker().stats().received.get(), "no bad request reached the worker");

    // A type this version does not know is acked and routed: the bot may read it.
    JsonObject future = new JsonObject().put("update_type", "message_reaction_added").put("timestamp", 1_774_999_999_000L)
        .put("chat_id", 61).put("user", MaxTestUpdates.user(51));
    max.pushUpdate(future);
    expect(200, webhook.post(future.encode(), "application/json", SECRET), null);
    expect(200, webhook.post(good, "application/json", SECRET), null);
    // The same update again (MAX redelivers until it gets a 200): acked, not run twice.
    expect(200, webhook.post(good, "application/json", SECRET), null);

    max.awaitSent(2, Duration.ofSeconds(10));
    assertEquals("saw message_reaction_added", max.sent().get(0).getJsonObject("body").getString("text"));
    assertEquals("echo survived", max.sent().get(1).getJsonObject("body").getString("text"));
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (app.worker().stats().duplicates.get() + app.edge().stats().redelivered.get() < 1) {
      assertTrue(System.nanoTime() < deadline, "the resent update was recognised as one already spooled or handled");
      Thread.sleep(20);
    }
    assertEquals(2, max.sent().size(), "the resent update ran nothing twice");
  }

  private static void expect(int status, HttpResponse<String> response, String names) {
    assertEquals(status, response.statusCode(), "body: " + response.body());
    if (status >= 400) {
      JsonObject body = new JsonObject(response.body());
      assertNotNull(body.getString("error"), "error answers carry a reason");
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      assertTrue(!response.body().contains("Exception") && !response.body().contains("\tat "), "no stack trace");
      if (names != null) {
        assertTrue(body.getString("error").contains(names), "the reason names " + names + ": " + response.body());
      }
    }
  }
}
