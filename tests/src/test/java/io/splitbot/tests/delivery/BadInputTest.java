package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.WorkerConfig;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.splitbot.worker.SplitbotApp;
import io.splitbot.desk.DeskModule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad request gets its 4xx with a JSON reason; none reaches the worker; the edge keeps serving. */
class BadInputTest {
  static Vertx vertx;
  static FakeTelegramApi fake;
  static SplitbotApp app;
  static WebhookDeliverer telegram;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    WorkerConfig config = WorkerConfig.fromEnv(TestEnv.webhookEnv(fake.baseUrl(), TestEnv.tempDir("bad-input")));
    app = SplitbotApp.deploy(vertx, config, new DeskModule()).await();
    telegram = WebhookDeliverer.telegram(app.edge().actualPort(), TestEnv.WEBHOOK_SECRET);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void eachBadRequestGetsItsStatusAndTheServerStillAcceptsAGoodUpdate() throws Exception {
    String good = Updates.message(1, 11, "/echo survived").encode();
    String secret = TestEnv.WEBHOOK_SECRET;

    expect(400, telegram.post("this is not json", "application/json", secret));
    expect(400, telegram.post("{\"update_id\": 5, ", "application/json", secret));
    expect(400, telegram.post("[1, 2, 3]", "application/json", secret));
    expect(400, telegram.post("\"just a string\"", "application/json", secret));
    expect(400, telegram.post("{\"message\": {\"text\": \"hi\"}}", "application/json", secret));
    expect(400, telegram.post("{\"update_id\": \"12\"}", "application/json", secret));
    expect(400, telegram.post("{\"update_id\": 1.5}", "application/json", secret));
    expect(400, telegram.post("{\"update_id\": -3}", "application/json", secret));
    expect(415, telegram.post(good, "text/plain", secret));
    expect(415, telegram.post(good, null, secret));
    expect(401, telegram.post(good, "application/json", null));
    expect(401, telegram.post(good, "application/json", secret + "x"));
    expect(401, telegram.post(good, "application/json", "wrong"));

    String huge = "{\"update_id\": 7, \"pad\": \"" + "x".repeat(1024 * 1024) + "\"}";
    expect(413, telegram.post(huge, "application/json", secret));
    // Without Content-Length (chunked) the limit is enforced while reading.
    HttpRequest chunked = HttpRequest.newBuilder(URI.create(telegram.url()))
        .header("Content-Type", "application/json")
        .header("X-Telegram-Bot-Api-Secret-Token", secret)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge.getBytes())))
        .build();
    expect(413, telegram.send(chunked));

    for (String method : new String[] {"GET", "PUT", "DELETE", "PATCH"}) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(telegram.url()))
          .header("Content-Type", "application/json")
          .header("X-Telegram-Bot-Api-Secret-Token", secret)
          .method(method, HttpRequest.BodyPublishers.ofString(good))
          .build();
      expect(405, telegram.send(request));
    }

    expect(200, telegram.post(good, "application/json", secret));
    fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(10));
    Thread.sleep(300);

    assertEquals(1, fake.calls("sendMessage").size());
    assertEquals("survived", fake.calls("sendMessage").get(0).params().getString("text"));
    assertEquals(1, app.worker().stats().received.get(), "the worker saw only the good update");
  }

  private static void expect(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), "body: " + response.body());
    if (status >= 400) {
      JsonObject body = new JsonObject(response.body());
      assertNotNull(body.getString("error"), "error answers carry a reason");
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      assertTrue(!response.body().contains("Exception") && !response.body().contains("\tat "), "no stack trace");
    }
  }
}
