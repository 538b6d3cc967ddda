package io.splitbot.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake answers like MAX does (docs/MAX.md), so tests built on it mean something. */
class FakeMaxApiTest {
  private static final String TOKEN = "f9LHodD0cOJ-fake-max-token_0123456789";
  private static final long DIALOG = 501_234_567L;
  private static final long USER = 7001L;

  private Vertx vertx;
  private FakeMaxApi fake;
  private WebClient http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeMaxApi(vertx, TOKEN);
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
  void theTokenGoesInTheAuthorizationHeaderOnly() throws Exception {
    HttpResponse<Buffer> none = get(http.getAbs(fake.baseUrl() + "/me").send());
    assertEquals(401, none.statusCode());
    assertEquals(new JsonObject().put("code", "verify.token").put("message", "Invalid access_token"), none.bodyAsJsonObject());
    assertEquals(401, get(http.getAbs(fake.baseUrl() + "/me").putHeader("Authorization", "Bearer " + TOKEN).send()).statusCode());
    HttpResponse<Buffer> inQuery = call(HttpMethod.GET, "/me?access_token=" + TOKEN, null);
    assertEquals(401, inQuery.statusCode());
    assertTrue(inQuery.bodyAsJsonObject().getString("message").contains("no longer supported"));
    assertFalse(inQuery.bodyAsString().contains(TOKEN));

    JsonObject me = call(HttpMethod.GET, "/me", null).bodyAsJsonObject();
    assertEquals(FakeMaxApi.BOT_USER_ID, me.getLong("user_id"));
    assertTrue(me.getBoolean("is_bot"));
    // Unknown routes are refused before the token is looked at.
    HttpResponse<Buffer> unknown = get(http.request(HttpMethod.PATCH, fake.port(), "127.0.0.1", "/messages").send());
    assertEquals(404, unknown.statusCode());
    assertEquals("method.not.found", unknown.bodyAsJsonObject().getString("code"));
  }

  @Test
  void sendingNeedsExactlyOneIntegerTargetAndAtMost4000Characters() throws Exception {
    JsonObject hi = new JsonObject().put("text", "hi");
    assertBadRequest(call(HttpMethod.POST, "/messages", hi), "chat_id or user_id is required");
    assertBadRequest(call(HttpMethod.POST, "/messages?chat_id=1&user_id=2", hi), "only one of them");
    assertBadRequest(call(HttpMethod.POST, "/messages?chat_id=abc", hi), "must be integers");
    assertBadRequest(call(HttpMethod.POST, "/messages?chat_id=1", new JsonObject()), "text or attachments are required");
    assertBadRequest(call(HttpMethod.POST, "/messages?chat_id=1", new JsonObject().put("text", 5)), "text must be a string");
    HttpResponse<Buffer> notJson = get(request(HttpMethod.POST, "/messages?chat_id=1")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{\"text\":")));
    assertBadRequest(notJson, "not a JSON object");
    assertBadRequest(call(HttpMethod.POST, "/messages?chat_id=1", new JsonObject().put("text", "a".repeat(4001))),
        "text is longer than 4000 characters");
    assertBadRequest(call(HttpMethod.POST, "/messages?chat_id=1", new JsonObject().put("text", "half \uD83D of a pair")),
        "half a surrogate pair");

    fake.enforceLimits(false);
    JsonObject sent = call(HttpMethod.POST, "/messages?chat_id=" + DIALOG, new JsonObject().put("text", "a".repeat(4000)))
        .bodyAsJsonObject().getJsonObject("message");
    // Characters, not UTF-16 units: 4000 emoji are 8000 chars in Java.
    JsonObject emoji = call(HttpMethod.POST, "/messages?chat_id=" + DIALOG,
        new JsonObject().put("text", "\uD83D\uDE00".repeat(4000))).bodyAsJsonObject().getJsonObject("message");
    assertEquals(DIALOG, sent.getJsonObject("recipient").getLong("chat_id"));
    assertEquals("dialog", sent.getJsonObject("recipient").getString("chat_type"));
    assertEquals(FakeMaxApi.BOT_USER_ID, sent.getJsonObject("sender").getLong("user_id"));
    assertTrue(sent.getJsonObject("body").getString("mid").startsWith("mid."));
    assertTrue(emoji.getJsonObject("body").getLong("seq") > sent.getJsonObject("body").getLong("seq"));
    assertEquals(List.of(sent.getJsonObject("body").getString("mid"), emoji.getJsonObject("body").getString("mid")),
        fake.sent().stream().map(m -> m.getJsonObject("body").getString("mid")).toList());
    assertEquals(2, fake.messages(DIALOG).size());
  }

  @Test
  void aMessageToAUserLandsInTheirDialog() throws Exception {
    fake.pushUpdate(new JsonObject().put("update_type", "bot_started").put("timestamp", 1L).put("chat_id", DIALOG)
        .put("user", new JsonObject().put("user_id", USER).put("first_name", "Anna").put("is_bot", false)));
    JsonObject sent = call(HttpMethod.POST, "/messages?user_id=" + USER, new JsonObject().put("text", "Welcome"))
        .bodyAsJsonObject().getJsonObject("message");
    assertEquals(new JsonObject().put("chat_id", DIALOG).put("chat_type", "dialog").put("user_id", USER),
        sent.getJsonObject("recipient"));
    assertEquals("Welcome", fake.messages(DIALOG).get(0).getJsonObject("body").getString("text"));
  }

  @Test
  void keyboardsAreCheckedAgainstMaxsLimits() throws Exception {
    JsonObject callback = button("callback", "Yes").put("payload", "yes");
    JsonObject link = button("link", "Site").put("url", "https://example.com");
    assertEquals(200, sendKeyboard(rows(new JsonArray().add(callback).add(link), new JsonArray()
        .add(button("request_contact", "Phone")))).statusCode());

    assertBadRequest(sendKeyboard(rows(new JsonArray().add(new JsonObject().put("type", "callback").put("payload", "x")))),
        "attachments[0].payload.buttons[0][0].text is required");
    assertBadRequest(sendKeyboard(rows(new JsonArray().add(button("callback", "No payload")))),
        "buttons[0][0].payload is required");
    assertBadRequest(sendKeyboard(rows(new JsonArray().add(button("callback", "Long").put("payload", "p".repeat(1025))))),
        "buttons[0][0].payload must be 1..1024 characters, not 1025");
    assertBadRequest(sendKeyboard(rows(new JsonArray().add(button("callback", "x".repeat(129)).put("payload", "p")))),
        "text must be 1..128 characters");
    assertBadRequest(sendKeyboard(rows(new JsonArray().add(button("teleport", "Go")))), "buttons[0][0].type must be one of");
    assertBadRequest(sendKeyboard(rows(repeat(callback, 8))), "has 8 buttons, at most 7 allowed");
    assertBadRequest(sendKeyboard(rows(repeat(callback, 3).add(link))), "has 4 buttons, at most 3 allowed in a row with a link");
    JsonArray thirtyOne = new JsonArray();
    for (int i = 0; i < 31; i++) {
      thirtyOne.add(new JsonArray().add(callback));
    }
    assertBadRequest(sendKeyboard(thirtyOne), "has 31 rows, at most 30 allowed");
    assertBadRequest(call(HttpMethod.POST, "/messages?chat_id=1", new JsonObject().put("text", "x")
        .put("attachments", new JsonArray().add(new JsonObject().put("type", "hologram")))), "attachments[0].type must be one of");
  }

  @Test
  void editsAndDeletionsChangeWhatTheChatShows() throws Exception {
    JsonObject keyboard = keyboard(rows(new JsonArray().add(button("callback", "Close").put("payload", "close"))));
    String mid = call(HttpMethod.POST, "/messages?chat_id=" + DIALOG, new JsonObject().put("text", "v1")
        .put("attachments", new JsonArray().add(keyboard))).bodyAsJsonObject().getJsonObject("message")
        .getJsonObject("body").getString("mid");

    HttpResponse<Buffer> unknown = call(HttpMethod.PUT, "/messages?message_id=mid.nope", new JsonObject().put("text", "v2"));
    assertEquals(404, unknown.statusCode());
    assertEquals("not.found", unknown.bodyAsJsonObject().getString("code"));
    assertBadRequest(call(HttpMethod.PUT, "/messages?message_id=" + mid, new JsonObject().put("text", "b".repeat(4001))),
        "longer than 4000");

    // Attachments left out stay as they were.
    assertEquals(new JsonObject().put("success", true),
        call(HttpMethod.PUT, "/messages?message_id=" + mid, new JsonObject().put("text", "v2")).bodyAsJsonObject());
    JsonObject shown = fake.messages(DIALOG).get(0).getJsonObject("body");
    assertEquals("v2", shown.getString("text"));
    assertEquals(1, shown.getJsonArray("attachments").size());
    // An empty list removes them.
    call(HttpMethod.PUT, "/messages?message_id=" + mid, new JsonObject().put("attachments", new JsonArray()));
    assertNull(fake.messages(DIALOG).get(0).getJsonObject("body").getValue("attachments"));

    assertEquals(200, call(HttpMethod.DELETE, "/messages?message_id=" + mid, null).statusCode());
    assertTrue(fake.messages(DIALOG).isEmpty());
    assertEquals(404, call(HttpMethod.DELETE, "/messages?message_id=" + mid, null).statusCode());
  }

  @Test
  void aCallbackAnswerIsRecordedAndItsMessageReplacesTheOneWithTheKeyboard() throws Exception {
    String mid = call(HttpMethod.POST, "/messages?chat_id=" + DIALOG, new JsonObject().put("text", "Close ticket 42?"))
        .bodyAsJsonObject().getJsonObject("message").getJsonObject("body").getString("mid");
    fake.pushUpdate(new JsonObject().put("update_type", "message_callback").put("timestamp", 2L)
        .put("callback", new JsonObject().put("timestamp", 2L).put("callback_id", "cb-1").put("payload", "close")
            .put("user", new JsonObject().put("user_id", USER).put("first_name", "Anna").put("is_bot", false)))
        .put("message", new JsonObject().put("recipient", new JsonObject().put("chat_id", DIALOG).put("chat_type", "dialog"))
            .put("timestamp", 1L).put("body", new JsonObject().put("mid", mid).put("seq", 1).put("text", "Close ticket 42?"))));

    assertBadRequest(call(HttpMethod.POST, "/answers", new JsonObject().put("notification", "x")), "callback_id is required");
    assertBadRequest(call(HttpMethod.POST, "/answers?callback_id=cb-1", new JsonObject()), "message or notification is required");
    assertBadRequest(call(HttpMethod.POST, "/answers?callback_id=cb-1",
        new JsonObject().put("message", new JsonObject().put("text", "c".repeat(4001)))), "message.text is longer than 4000");

    assertEquals(200, call(HttpMethod.POST, "/answers?callback_id=cb-1", new JsonObject()
        .put("message", new JsonObject().put("text", "Ticket 42 closed")).put("notification", "Done")).statusCode());
    assertEquals(200, call(HttpMethod.POST, "/answers?callback_id=cb-other", new JsonObject().put("notification", "Hi")).statusCode());
    fake.awaitAnswers(2, Duration.ofSeconds(5));
    assertEquals(new FakeMaxApi.CallbackAnswer("cb-1", new JsonObject().put("text", "Ticket 42 closed"), "Done"),
        fake.answers().get(0));
    assertNull(fake.answers().get(1).message());
    assertEquals("Ticket 42 closed", fake.messages(DIALOG).get(0).getJsonObject("body").getString("text"));
  }

  @Test
  void subscriptionsNeedHttpsAndAGoodSecretAndStopLongPolling() throws Exception {
    assertBadRequest(call(HttpMethod.POST, "/subscriptions", new JsonObject().put("url", "http://bot.example/webhook/max")),
        "url must start with https://");
    assertBadRequest(call(HttpMethod.POST, "/subscriptions", new JsonObject().put("url", "https://bot.example/webhook/max")
        .put("secret", "abc")), "secret must be 5-256 characters");
    JsonObject subscribe = new JsonObject().put("url", "https://bot.example/webhook/max").put("secret", "s3cret_value-1")
        .put("update_types", new JsonArray().add("message_created").add("message_callback"));
    assertEquals(new JsonObject().put("success", true), call(HttpMethod.POST, "/subscriptions", subscribe).bodyAsJsonObject());

    JsonObject listed = call(HttpMethod.GET, "/subscriptions", null).bodyAsJsonObject().getJsonArray("subscriptions").getJsonObject(0);
    assertEquals("https://bot.example/webhook/max", listed.getString("url"));
    assertEquals(subscribe.getJsonArray("update_types"), listed.getJsonArray("update_types"));
    assertFalse(listed.containsKey("secret"));
    assertEquals("s3cret_value-1", fake.subscriptions().get(0).getString("secret"));

    HttpResponse<Buffer> polled = call(HttpMethod.GET, "/updates?timeout=0", null);
    assertEquals(405, polled.statusCode());
    assertEquals("method.not.allowed", polled.bodyAsJsonObject().getString("code"));

    assertEquals(true, call(HttpMethod.DELETE, "/subscriptions?url=https://bot.example/webhook/max", null)
        .bodyAsJsonObject().getBoolean("success"));
    assertTrue(fake.subscriptions().isEmpty());
    assertEquals(200, call(HttpMethod.GET, "/updates?timeout=0", null).statusCode());
  }

  @Test
  void theMarkerCommitsOnlyWhenTheClientSendsIt() throws Exception {
    long first = fake.pushUpdate(update("message_created", 1));
    fake.pushUpdate(update("bot_started", 2));
    fake.pushUpdate(update("message_created", 3));

    JsonObject batch = poll("timeout=0");
    assertEquals(3, batch.getJsonArray("updates").size());
    assertEquals(first + 3, batch.getLong("marker"));
    // Nothing is committed by reading: without the marker the same updates come again.
    assertEquals(3, poll("timeout=0").getJsonArray("updates").size());

    JsonObject onlyMessages = poll("timeout=0&types=message_created&limit=1");
    assertEquals(1, onlyMessages.getJsonArray("updates").size());
    assertEquals(1, onlyMessages.getJsonArray("updates").getJsonObject(0).getLong("timestamp"));
    assertEquals(first + 1, onlyMessages.getLong("marker"));

    JsonObject rest = poll("timeout=0&marker=" + onlyMessages.getLong("marker"));
    assertEquals(List.of(2L, 3L), timestamps(rest));
    assertEquals(2, fake.pendingUpdates());
    JsonObject none = poll("timeout=0&marker=" + rest.getLong("marker"));
    assertTrue(none.getJsonArray("updates").isEmpty());
    assertEquals(rest.getLong("marker"), none.getLong("marker"));
    assertEquals(0, fake.pendingUpdates());
    assertEquals(Arrays.asList(null, null, null, first + 1, first + 3), fake.markersSeen());
    assertBadRequest(call(HttpMethod.GET, "/updates?timeout=91", null), "timeout 0..90");
    assertBadRequest(call(HttpMethod.GET, "/updates?marker=soon", null), "marker an integer");
  }

  @Test
  void aLongPollWaitsForThePushedUpdate() throws Exception {
    Future<HttpResponse<Buffer>> waiting = request(HttpMethod.GET, "/updates?timeout=30").send();
    fake.await(() -> fake.markersSeen().size() == 1, Duration.ofSeconds(5), () -> "the poll did not arrive");
    long pushedAt = System.nanoTime();
    fake.pushUpdate(update("message_created", 42));
    JsonObject batch = get(waiting).bodyAsJsonObject();
    assertEquals(List.of(42L), timestamps(batch));
    assertTrue(System.nanoTime() - pushedAt < TimeUnit.SECONDS.toNanos(5), "answered at the push, not at the timeout");
  }

  @Test
  void moreThan30RequestsInASecondAreRefusedUntilTheWindowPasses() throws Exception {
    long burstAt = System.nanoTime();
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 35; i++) {
      burst.add(request(HttpMethod.GET, "/me").send());
    }
    get(Future.join(burst));
    List<HttpResponse<Buffer>> refused = burst.stream().map(Future::result).filter(r -> r.statusCode() == 429).toList();
    assertEquals(5, refused.size());
    assertEquals("too.many.requests", refused.get(0).bodyAsJsonObject().getString("code"));
    assertEquals(5, fake.rateLimitRejections());

    // Admitted again once the oldest requests leave the window (1 s less the slack), not before.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int status = 429;
    while (status == 429 && System.nanoTime() < deadline) {
      status = call(HttpMethod.GET, "/me", null).statusCode();
    }
    assertEquals(200, status);
    assertTrue(System.nanoTime() - burstAt >= TimeUnit.MILLISECONDS.toNanos(1000 - FakeMaxApi.SLACK_MS));
  }

  @Test
  void aThirdMessageToOneChatInASecondIsRefused() throws Exception {
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      burst.add(request(HttpMethod.POST, "/messages?chat_id=" + DIALOG).sendJsonObject(new JsonObject().put("text", "m" + i)));
    }
    burst.add(request(HttpMethod.POST, "/messages?chat_id=" + (DIALOG + 1)).sendJsonObject(new JsonObject().put("text", "other")));
    get(Future.join(burst));
    // The three to one chat race each other: whichever arrives third is refused. The other chat is served.
    assertEquals(List.of(200, 200, 429), burst.subList(0, 3).stream().map(f -> f.result().statusCode()).sorted().toList());
    assertEquals(200, burst.get(3).result().statusCode());
    assertEquals(3, fake.sent().size());

    fake.enforceLimits(false);
    assertEquals(200, call(HttpMethod.POST, "/messages?chat_id=" + DIALOG, new JsonObject().put("text", "m3")).statusCode());
  }

  @Test
  void injectedFailuresAnswerTheChosenRoutesInMaxsShape() throws Exception {
    fake.failNext("POST /messages", 503, 2);
    fake.failNext("/updates", 429, 1);
    JsonObject text = new JsonObject().put("text", "hi");
    HttpResponse<Buffer> first = call(HttpMethod.POST, "/messages?chat_id=1", text);
    assertEquals(503, first.statusCode());
    assertEquals("service.unavailable", first.bodyAsJsonObject().getString("code"));
    assertEquals(200, call(HttpMethod.GET, "/me", null).statusCode());
    assertEquals(503, call(HttpMethod.POST, "/messages?chat_id=1", text).statusCode());
    assertEquals(200, call(HttpMethod.POST, "/messages?chat_id=1", text).statusCode());
    assertEquals(429, call(HttpMethod.GET, "/updates?timeout=0", null).statusCode());
    assertEquals(200, call(HttpMethod.GET, "/updates?timeout=0", null).statusCode());

    assertEquals(1, fake.calls("POST /messages").size());
    assertEquals(3, fake.allCalls().stream().filter(c -> c.route().equals("POST /messages")).count());
    assertEquals("hi", fake.calls("/messages").get(0).body().getString("text"));
    assertEquals("1", fake.calls("/messages").get(0).query().getString("chat_id"));
    assertEquals(0, fake.rateLimitRejections());
  }

  @Test
  void awaitingFailsWithWhatItSaw() {
    AssertionError e = assertThrows(AssertionError.class, () -> fake.awaitSent(1, Duration.ofMillis(100)));
    assertTrue(e.getMessage().endsWith("saw 0"), e.getMessage());
  }

  // ---------------------------------------------------------------- helpers

  private static JsonObject update(String type, long timestamp) {
    return new JsonObject().put("update_type", type).put("timestamp", timestamp);
  }

  private static List<Long> timestamps(JsonObject batch) {
    return batch.getJsonArray("updates").stream().map(u -> ((JsonObject) u).getLong("timestamp")).toList();
  }

  private JsonObject poll(String query) throws Exception {
    HttpResponse<Buffer> response = call(HttpMethod.GET, "/updates?" + query, null);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  private static JsonObject button(String type, String text) {
    return new JsonObject().put("type", type).put("text", text);
  }

  private static JsonArray repeat(JsonObject button, int times) {
    JsonArray row = new JsonArray();
    for (int i = 0; i < times; i++) {
      row.add(button.copy());
    }
    return row;
  }

  private static JsonArray rows(JsonArray... rows) {
    return new JsonArray(List.of((Object[]) rows));
  }

  private static JsonObject keyboard(JsonArray rows) {
    return new JsonObject().put("type", "inline_keyboard").put("payload", new JsonObject().put("buttons", rows));
  }

  private HttpResponse<Buffer> sendKeyboard(JsonArray rows) throws Exception {
    fake.enforceLimits(false);
    return call(HttpMethod.POST, "/messages?chat_id=1", new JsonObject().put("text", "Choose")
        .put("attachments", new JsonArray().add(keyboard(rows))));
  }

  private static void assertBadRequest(HttpResponse<Buffer> response, String reason) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    assertEquals("proto.payload", response.bodyAsJsonObject().getString("code"));
    assertTrue(response.bodyAsJsonObject().getString("message").contains(reason), response.bodyAsString());
  }

  private HttpRequest<Buffer> request(HttpMethod method, String uri) {
    return http.request(method, fake.port(), "127.0.0.1", uri).putHeader("Authorization", TOKEN);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String uri, JsonObject body) throws Exception {
    HttpRequest<Buffer> request = request(method, uri);
    return get(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
