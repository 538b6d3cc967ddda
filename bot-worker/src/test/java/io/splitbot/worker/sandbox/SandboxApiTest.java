package io.splitbot.worker.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chat page's API over the emulator, without a bot: what a user does arrives at getUpdates in Telegram's shapes,
 * and what the bot does through the Bot API shows in the page's feed.
 */
@ExtendWith(VertxExtension.class)
class SandboxApiTest {
  private static final JsonObject ANNA = new JsonObject().put("id", 1001).put("first_name", "Anna").put("language_code", "en");

  private BotApiEmulator emulator;
  private WebClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    emulator = new BotApiEmulator(vertx, Sandbox.TOKEN, "Sandbox", "sandbox_bot");
    emulator.start().await();
    Router router = Router.router(vertx);
    new SandboxApi(vertx, emulator).mount(router);
    port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
    client = WebClient.create(vertx);
  }

  @Test
  void aUsersMessageAndPressBecomeUpdatesAndTheBotsCallsShowInTheFeed() {
    HttpResponse<Buffer> sent = page("/sandbox/api/messages", new JsonObject().put("chat_id", 1001).put("from", ANNA).put("text", "hi /start"));
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    JsonObject update = botApi("getUpdates", new JsonObject()).getJsonArray("result").getJsonObject(0);
    assertEquals(sent.bodyAsJsonObject().getLong("update_id"), update.getLong("update_id"));
    JsonObject message = update.getJsonObject("message");
    assertEquals("private", message.getJsonObject("chat").getString("type"));
    assertEquals(false, message.getJsonObject("from").getBoolean("is_bot"));
    assertEquals(new JsonArray().add(new JsonObject().put("offset", 3).put("length", 6).put("type", "bot_command")),
        message.getJsonArray("entities"));

    JsonObject keyboard = new JsonObject().put("inline_keyboard", new JsonArray().add(new JsonArray()
        .add(new JsonObject().put("text", "Yes").put("callback_data", "yes"))));
    JsonObject card = botApi("sendMessage", new JsonObject().put("chat_id", 1001).put("text", "<b>Sure?</b>")
        .put("parse_mode", "HTML").put("reply_markup", keyboard)).getJsonObject("result");
    assertEquals(message.getLong("message_id") + 1, card.getLong("message_id"), "users and the bot share a chat's ids");

    assertEquals(404, page("/sandbox/api/callbacks", press(card, "no")).statusCode(), "a button the message does not show");
    assertEquals(200, page("/sandbox/api/callbacks", press(card, "yes")).statusCode());
    JsonObject query = botApi("getUpdates", new JsonObject().put("offset", update.getLong("update_id") + 1))
        .getJsonArray("result").getJsonObject(0).getJsonObject("callback_query");
    assertEquals("yes", query.getString("data"));
    assertEquals(card.getLong("message_id"), query.getJsonObject("message").getLong("message_id"));

    botApi("answerCallbackQuery", new JsonObject().put("callback_query_id", query.getString("id")).put("text", "Noted"));
    botApi("editMessageText", new JsonObject().put("chat_id", 1001).put("message_id", card.getLong("message_id")).put("text", "Done"));
    botApi("sendChatAction", new JsonObject().put("chat_id", 1001).put("action", "typing"));
    botApi("deleteMessage", new JsonObject().put("chat_id", 1001).put("message_id", card.getLong("message_id")));

    JsonArray changes = get("/sandbox/api/changes?after=0").bodyAsJsonObject().getJsonArray("changes");
    List<String> types = changes.stream().map(c -> ((JsonObject) c).getString("type")).toList();
    assertEquals(List.of("message", "message", "toast", "edit", "action", "delete"), types, changes.encode());
    assertEquals("HTML", changes.getJsonObject(1).getString("parse_mode"));
    assertEquals("Noted", changes.getJsonObject(2).getString("text"));
    assertEquals("1001", changes.getJsonObject(2).getString("chat_id"));
    assertEquals("Done", changes.getJsonObject(3).getJsonObject("message").getString("text"));
  }

  @Test
  void aReaderWaitsForTheNextChange() {
    long last = get("/sandbox/api/changes").bodyAsJsonObject().getLong("last");
    Future<HttpResponse<Buffer>> waiting = client.get(port, "127.0.0.1", "/sandbox/api/changes?after=" + last + "&wait_ms=20000").send();
    botApi("sendMessage", new JsonObject().put("chat_id", 1001).put("text", "later"));
    JsonObject page = waiting.await().bodyAsJsonObject();
    assertEquals("later", page.getJsonArray("changes").getJsonObject(0).getJsonObject("message").getString("text"), page.encode());
  }

  @Test
  void aGroupAndASharedContact() {
    HttpResponse<Buffer> sent = page("/sandbox/api/messages", new JsonObject().put("chat_id", SandboxPeople.GROUP.getLong("id"))
        .put("from", ANNA).put("contact", new JsonObject().put("phone_number", "+15550001001")));
    assertEquals(200, sent.statusCode(), sent.bodyAsString());
    JsonObject message = botApi("getUpdates", new JsonObject()).getJsonArray("result").getJsonObject(0).getJsonObject("message");
    assertEquals("group", message.getJsonObject("chat").getString("type"));
    assertEquals(new JsonObject().put("phone_number", "+15550001001").put("first_name", "Anna").put("user_id", 1001),
        message.getJsonObject("contact"));
  }

  @Test
  void onlyLoopbackNamesAreServed() {
    HttpResponse<Buffer> rebound = client.get(port, "127.0.0.1", "/sandbox").virtualHost("attacker.example").send().await();
    assertEquals(403, rebound.statusCode());
    assertTrue(rebound.bodyAsJsonObject().getString("error").contains("127.0.0.1"), rebound.bodyAsString());
    HttpResponse<Buffer> page = get("/sandbox");
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Security-Policy").contains("script-src 'self'"), page.headers().toString());
  }

  private static JsonObject press(JsonObject message, String data) {
    return new JsonObject().put("chat_id", 1001).put("from", ANNA).put("message_id", message.getLong("message_id")).put("data", data);
  }

  private HttpResponse<Buffer> page(String path, JsonObject body) {
    return client.post(port, "127.0.0.1", path).sendJsonObject(body).await();
  }

  private HttpResponse<Buffer> get(String path) {
    return client.get(port, "127.0.0.1", path).send().await();
  }

  private JsonObject botApi(String method, JsonObject params) {
    HttpResponse<Buffer> r = client.post(emulator.port(), "127.0.0.1", "/bot" + emulator.token() + "/" + method)
        .sendJsonObject(params).await();
    assertEquals(200, r.statusCode(), method + ": " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
