package io.splitbot.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake answers like Telegram does, so tests built on it mean something. */
class FakeTelegramApiTest {
  private static final String TOKEN = "4242:AAfakeTokenForTheFakeItself_0123456789";

  private Vertx vertx;
  private FakeTelegramApi fake;
  private WebClient http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeTelegramApi(vertx, TOKEN);
    get(fake.start());
    http = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    get(fake.stop());
    get(vertx.close());
  }

  @Test
  void wrongTokenAndUnknownMethodAnswerInTelegramsShape() throws Exception {
    JsonObject unauthorized = post("/bot1:wrong/getMe", new JsonObject()).bodyAsJsonObject();
    assertEquals(new JsonObject().put("ok", false).put("error_code", 401).put("description", "Unauthorized"), unauthorized);
    HttpResponse<Buffer> notFound = post("/bot" + TOKEN + "/fooBar", new JsonObject());
    assertEquals(404, notFound.statusCode());
    assertEquals("Not Found", notFound.bodyAsJsonObject().getString("description"));
  }

  @Test
  void parametersAsFormOrQueryStringWork() throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("chat_id", "5")
        .add("text", "from a form")
        .add("reply_markup", "{\"inline_keyboard\":[[{\"text\":\"a\",\"callback_data\":\"b\"}]]}");
    JsonObject sent = get(http.postAbs(fake.baseUrl() + "/bot" + TOKEN + "/sendMessage").sendForm(form)).bodyAsJsonObject();
    assertEquals("a", sent.getJsonObject("result").getJsonObject("reply_markup")
        .getJsonArray("inline_keyboard").getJsonArray(0).getJsonObject(0).getString("text"));

    JsonObject viaQuery = get(http.getAbs(fake.baseUrl() + "/bot" + TOKEN + "/sendMessage?chat_id=5&text=hi").send())
        .bodyAsJsonObject();
    assertEquals(2, viaQuery.getJsonObject("result").getLong("message_id"));
    assertEquals(2, fake.calls("sendMessage").size());
  }

  @Test
  void editsOfUnknownOrUnchangedMessagesAreRefused() throws Exception {
    post("/bot" + TOKEN + "/sendMessage", new JsonObject().put("chat_id", 9).put("text", "v1"));
    String edit = "/bot" + TOKEN + "/editMessageText";
    assertEquals("Bad Request: message to edit not found",
        post(edit, new JsonObject().put("chat_id", 9).put("message_id", 7).put("text", "v2")).bodyAsJsonObject().getString("description"));
    assertEquals(200, post(edit, new JsonObject().put("chat_id", 9).put("message_id", 1).put("text", "v2")).statusCode());
    JsonObject same = post(edit, new JsonObject().put("chat_id", 9).put("message_id", 1).put("text", "v2")).bodyAsJsonObject();
    assertTrue(same.getString("description").startsWith("Bad Request: message is not modified"));
  }

  @Test
  void anUnthrottledBurstTripsTheFloodLimits() throws Exception {
    fake.enforceFloodLimits(true);
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      burst.add(http.postAbs(fake.baseUrl() + "/bot" + TOKEN + "/sendMessage")
          .sendJsonObject(new JsonObject().put("chat_id", 1).put("text", "spam " + i)));
    }
    get(Future.join(burst));
    assertEquals(5, fake.floodRejections());
    JsonObject rejected = fake.allCalls("sendMessage").stream().filter(c -> c.status() == 429).findFirst().orElseThrow().params();
    assertTrue(rejected.getString("text").startsWith("spam"));
  }

  @Test
  void awaitCallsFailsWithTheCountReached() {
    AssertionError e = assertThrows(AssertionError.class, () -> fake.awaitCalls("sendMessage", 1, Duration.ofMillis(100)));
    assertTrue(e.getMessage().endsWith("saw 0"), e.getMessage());
  }
  @Test
  void textsOverTelegramsLimitsAndInvalidUtf8AreRefusedAsTelegramDoes() throws Exception {
    String send = "/bot" + TOKEN + "/sendMessage";
    assertEquals(200, post(send, new JsonObject().put("chat_id", 9).put("text", "я".repeat(4096))).statusCode());
    assertEquals("Bad Request: message is too long",
        refusal(send, new JsonObject().put("chat_id", 9).put("text", "я".repeat(4097))));
    assertEquals("Bad Request: message is too long",
        refusal(send, new JsonObject().put("chat_id", 9).put("text", "😀".repeat(2049))), "counted in UTF-16 units");
    fake.respondTo("sendPhoto", p -> new JsonObject().put("message_id", 1));
    assertEquals(200, post("/bot" + TOKEN + "/sendPhoto", new JsonObject().put("chat_id", 9).put("photo", "x")
        .put("caption", "c".repeat(1024))).statusCode());
    assertEquals("Bad Request: message caption is too long", refusal("/bot" + TOKEN + "/sendPhoto",
        new JsonObject().put("chat_id", 9).put("photo", "x").put("caption", "c".repeat(1025))));
    assertEquals("Bad Request: MESSAGE_TOO_LONG", refusal("/bot" + TOKEN + "/answerCallbackQuery",
        new JsonObject().put("callback_query_id", "q").put("text", "n".repeat(201))));
    JsonObject keyboard = new JsonObject().put("inline_keyboard", new io.vertx.core.json.JsonArray()
        .add(new io.vertx.core.json.JsonArray().add(new JsonObject().put("text", "b").put("callback_data", "d".repeat(63) + "ж"))));
    assertEquals("Bad Request: BUTTON_DATA_INVALID",
        refusal(send, new JsonObject().put("chat_id", 9).put("text", "t").put("reply_markup", keyboard)), "65 bytes");
    assertEquals("Bad Request: strings must be encoded in UTF-8",
        refusal(send, new JsonObject().put("chat_id", 9).put("text", "half \uD83D of a pair")));
    HttpResponse<Buffer> raw = get(http.postAbs(fake.baseUrl() + send).putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '"', '}'})));
    assertEquals("Bad Request: strings must be encoded in UTF-8", raw.bodyAsJsonObject().getString("description"));
    assertEquals(1, fake.calls("sendMessage").size(), "only the message within the limits was sent");
  }

  private String refusal(String path, JsonObject body) throws Exception {
    HttpResponse<Buffer> answer = post(path, body);
    assertEquals(400, answer.statusCode(), answer.bodyAsString());
    return answer.bodyAsJsonObject().getString("description");
  }

  private HttpResponse<Buffer> post(String path, JsonObject body) throws Exception {
    return get(http.postAbs(fake.baseUrl() + path).sendJsonObject(body));
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
