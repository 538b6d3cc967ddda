package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * bot-worker.jar's webhook with updates whose fields have the wrong types: each gets a 400 that names the field,
 * never a 500 (which Telegram would send again and again), and the bot goes on answering good updates. An update
 * of a type the edge does not know is well-formed: it is acked.
 */
@ExtendWith(VertxExtension.class)
class MalformedUpdateTest {

  @Test
  void everyMalformedBodyGetsA400ThatNamesTheFieldAndAGoodUpdateIsStillAnswered(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("malformed");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
    int port = Integer.parseInt(env.get("PORT"));
    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      bot.awaitHttp("http://127.0.0.1:" + port + "/health/live", 200, Duration.ofSeconds(60));
      WebhookDeliverer telegram = WebhookDeliverer.telegram(port, TestEnv.WEBHOOK_SECRET);

      Map<String, String> bodies = new LinkedHashMap<>();
      bodies.put("", "body is not a JSON object");
      bodies.put("   ", "body is not a JSON object");
      bodies.put("{\"update_id\":1,\"message\":\"x\"}", "message must be an object");
      bodies.put("{\"update_id\":2,\"callback_query\":{\"message\":{\"chat\":\"x\"}}}", "callback_query.message.chat must be an object");
      bodies.put("{\"update_id\":3,\"callback_query\":\"x\"}", "callback_query must be an object");
      bodies.put("{\"update_id\":4,\"message\":{\"chat\":{\"id\":\"abc\"}}}", "message.chat.id must be an integer");
      bodies.put("{\"update_id\":5,\"message\":{\"text\":\"no chat\"}}", "message.chat is missing");
      bodies.put("{\"update_id\":6,\"edited_message\":{\"chat\":{\"id\":1.5}}}", "edited_message.chat.id must be an integer");
      bodies.put("{\"update_id\":7,\"inline_query\":{\"from\":[1]}}", "inline_query.from must be an object");
      bodies.put("{\"update_id\":8,\"poll_answer\":{\"user\":5}}", "poll_answer.user must be an object");
      bodies.put("{\"update_id\":9,\"callback_query\":{\"id\":\"q\"}}", "callback_query.from is missing");
      bodies.put("{\"update_id\":18446744073709551617}", "update_id must be a non-negative integer");
      for (Map.Entry<String, String> body : bodies.entrySet()) {
        HttpResponse<String> answer = telegram.post(body.getKey(), "application/json", TestEnv.WEBHOOK_SECRET);
        assertEquals(400, answer.statusCode(), body.getKey() + " → " + answer.body());
        assertEquals(body.getValue(), new JsonObject(answer.body()).getString("error"), body.getKey());
      }

      // Telegram adds update types every release: one this version does not know is acked and handed on.
      HttpResponse<String> unknown = telegram.post("{\"update_id\":20,\"brand_new_kind\":{\"id\":1}}", "application/json",
          TestEnv.WEBHOOK_SECRET);
      assertEquals(200, unknown.statusCode(), unknown.body());

      assertEquals(200, telegram.post(Updates.message(21, 801, "/echo still serving").encode(), "application/json",
          TestEnv.WEBHOOK_SECRET).statusCode());
      fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(30));
      assertEquals("still serving", fake.calls("sendMessage").get(0).params().getString("text"));

      // A client that offers an h2c upgrade (the JDK's default) is answered in HTTP/1.1: no upgrade path.
      HttpResponse<String> upgraded = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/health/live")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_1_1, upgraded.version());
      assertEquals(200, upgraded.statusCode());

      String log = bot.output();
      assertFalse(log.contains("\tat ") || log.contains("ClassCastException") || log.contains("internal error"),
          "no stack trace, no internal error:\n" + log);
      assertTrue(bot.alive());
    } finally {
      fake.stop().await();
    }
  }
}
