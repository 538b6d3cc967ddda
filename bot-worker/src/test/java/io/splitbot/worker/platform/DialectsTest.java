package io.splitbot.worker.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.platform.PlatformDialect.ApiCall;
import io.splitbot.worker.platform.max.MaxDialect;
import io.splitbot.worker.platform.telegram.TelegramDialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the two dialects read the same way (replies, new messages) and write the same way (users, edits, API). */
class DialectsTest {
  private static final TelegramDialect TELEGRAM = TelegramDialect.INSTANCE;
  private static final MaxDialect MAX = MaxDialect.INSTANCE;

  private static JsonObject telegramMessage(JsonObject fields) {
    return new JsonObject().put("update_id", 7).put("message", new JsonObject().put("message_id", 3)
        .put("chat", new JsonObject().put("id", 42).put("type", "private"))
        .put("from", new JsonObject().put("id", 42).put("is_bot", false).put("first_name", "Ann")).mergeIn(fields));
  }

  private static JsonObject maxMessage(String type, JsonObject link) {
    JsonObject message = new JsonObject()
        .put("sender", new JsonObject().put("user_id", 42).put("first_name", "Ann").put("is_bot", false))
        .put("recipient", new JsonObject().put("chat_id", 500).put("chat_type", "dialog").put("user_id", 9))
        .put("timestamp", 1_000L)
        .put("body", new JsonObject().put("mid", "mid.2").put("seq", 2).put("text", "when?"));
    if (link != null) {
      message.put("link", link);
    }
    return new JsonObject().put("update_type", type).put("timestamp", 1_000L).put("message", message);
  }

  private static JsonObject maxLink(String type, String text) {
    return new JsonObject().put("type", type)
        .put("sender", new JsonObject().put("user_id", 9).put("first_name", "Bot").put("is_bot", true))
        .put("chat_id", 500)
        .put("message", new JsonObject().put("mid", "mid.1").put("seq", 1).put("text", text));
  }

  @Test
  void aReplyReadsAsTheRepliedToTextOnBothPlatforms() {
    JsonObject card = new JsonObject().put("message_id", 2).put("text", "Request 250927-001 · New")
        .put("from", new JsonObject().put("id", 9).put("is_bot", true).put("first_name", "Bot"));
    assertEquals("Request 250927-001 · New", TELEGRAM.repliedToText(telegramMessage(new JsonObject()
        .put("text", "when?").put("reply_to_message", card))));
    assertNull(TELEGRAM.repliedToText(telegramMessage(new JsonObject().put("text", "when?"))), "not a reply");
    assertNull(TELEGRAM.repliedToText(telegramMessage(new JsonObject().put("text", "x")
        .put("reply_to_message", new JsonObject().put("message_id", 2).put("photo", new JsonArray())))), "no text");
    assertNull(TELEGRAM.repliedToText(new JsonObject().put("update_id", 8).put("edited_message",
        telegramMessage(new JsonObject().put("reply_to_message", card)).getJsonObject("message"))), "an edit is no new reply");

    assertEquals("Request 250927-001 · New", MAX.repliedToText(maxMessage("message_created", maxLink("reply", "Request 250927-001 · New"))));
    assertNull(MAX.repliedToText(maxMessage("message_created", null)), "not a reply");
    assertNull(MAX.repliedToText(maxMessage("message_created", maxLink("forward", "Request 250927-001 · New"))), "a forward");
    assertNull(MAX.repliedToText(maxMessage("message_edited", maxLink("reply", "Request 250927-001 · New"))), "an edit");
    assertNull(MAX.repliedToText(maxMessage("message_created", new JsonObject().put("type", "reply").put("message", "x"))),
        "a link of the wrong shape reads as none");
  }

  @Test
  void onlyNewMessagesAreMessages() {
    assertTrue(TELEGRAM.isMessage(telegramMessage(new JsonObject().put("text", "hi"))));
    assertTrue(TELEGRAM.isMessage(telegramMessage(new JsonObject().put("contact", new JsonObject()))), "text or not");
    assertFalse(TELEGRAM.isMessage(new JsonObject().put("update_id", 1).put("edited_message", new JsonObject())));
    assertFalse(TELEGRAM.isMessage(new JsonObject().put("update_id", 1).put("callback_query", new JsonObject())));

    assertTrue(MAX.isMessage(maxMessage("message_created", null)));
    assertFalse(MAX.isMessage(maxMessage("message_edited", null)));
    assertFalse(MAX.isMessage(new JsonObject().put("update_type", "bot_started").put("timestamp", 1L).put("chat_id", 5)
        .put("user", new JsonObject().put("user_id", 42).put("first_name", "Ann").put("is_bot", false))));
  }

  @Test
  void aUserIsReachedInTheirPrivateChat() {
    assertEquals("42", TELEGRAM.userTarget(42));
    assertEquals("user:42", MAX.userTarget(42));
    ApiCall toUser = MAX.send(MAX.userTarget(42), "hi", List.of(), null);
    assertEquals(new JsonObject().put("user_id", 42L), toUser.params().getJsonObject("query"));
    ApiCall toChat = TELEGRAM.send(TELEGRAM.userTarget(42), "hi", List.of(), null);
    assertEquals("42", toChat.params().getString("chat_id"));
  }

  @Test
  void anEditWithoutRowsTakesTheButtonsAwayOnBothPlatforms() {
    List<List<Button>> rows = List.of(List.of(new Button("Yes", "y")));
    JsonObject maxEdit = MAX.edit("500", "mid.1", "done", List.of(), null).params().getJsonObject("body");
    assertEquals(new JsonArray(), maxEdit.getJsonArray("attachments"), "MAX keeps attachments an edit does not name");
    JsonObject maxKept = MAX.edit("500", "mid.1", "again", rows, null).params().getJsonObject("body");
    assertEquals("y", maxKept.getJsonArray("attachments").getJsonObject(0).getJsonObject("payload")
        .getJsonArray("buttons").getJsonArray(0).getJsonObject(0).getString("payload"));
    JsonObject telegramEdit = TELEGRAM.edit("500", "1", "done", List.of(), null).params();
    assertFalse(telegramEdit.containsKey("reply_markup"), "Telegram drops inline buttons an edit does not name");
    JsonObject withExtra = MAX.edit("500", "mid.1", "done", List.of(), new JsonObject().put("format", "markdown"))
        .params().getJsonObject("body");
    assertEquals("markdown", withExtra.getString("format"));
  }

  @Test
  void theApiOfEachPlatformSendsItsOwnWayAndAnUnconfiguredOneSaysWhatToSet() {
    List<String> sent = new ArrayList<>();
    WorkerPlatforms onlyMax = new WorkerPlatforms().add(MAX, (method, params, guard) -> {
      sent.add(method + " " + params.encode());
      return Future.succeededFuture(new JsonObject().put("message", new JsonObject()));
    });
    PlatformApis apis = new PlatformApis(onlyMax);
    assertEquals("max", apis.first().platform(), "the first configured platform");
    PlatformApi max = apis.of("max");
    assertTrue(max.configured());
    max.sendMessage(max.userTarget(77), "status changed", List.of(List.of(new Button("Open", "rq:1"))), null).await();
    assertEquals(1, sent.size());
    assertTrue(sent.get(0).startsWith("POST /messages {\"query\":{\"user_id\":77}"), sent.get(0));
    assertTrue(sent.get(0).contains("\"type\":\"inline_keyboard\""), sent.get(0));

    PlatformApi telegram = apis.of("telegram");
    assertFalse(telegram.configured());
    assertEquals("42", telegram.userTarget(42));
    Throwable off = telegram.sendMessage("42", "hi", List.of(), null).cause();
    assertTrue(off.getMessage().startsWith("TELEGRAM_BOT_TOKEN is not set"), off.getMessage());
    assertEquals("telegram", new PlatformApis(new WorkerPlatforms()).first().platform(), "Telegram's when none is set");
    assertThrows(IllegalArgumentException.class, () -> apis.of("icq"));

    WorkerPlatforms both = new WorkerPlatforms().add(TELEGRAM, (m, p, g) -> Future.succeededFuture(true))
        .add(MAX, (m, p, g) -> Future.succeededFuture(true));
    assertEquals("telegram", new PlatformApis(both).first().platform(), "Telegram preferred");
  }
}
