package io.splitbot.worker.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.retry.NoRetry;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.platform.OutgoingFit.ButtonDataRefused;
import io.splitbot.worker.platform.max.MaxDialect;
import io.splitbot.worker.platform.telegram.TelegramDialect;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every call on its way out is fitted to its platform's documented limits, raw calls too. */
class OutgoingFitTest {
  private static final PlatformDialect TELEGRAM = TelegramDialect.INSTANCE;
  private static final PlatformDialect MAX = MaxDialect.INSTANCE;

  private static JsonObject fit(PlatformDialect dialect, String method, JsonObject params) {
    return OutgoingFit.fit(dialect, method, params);
  }

  @Test
  void telegramTextsAreCutAtTheirLimitsOnACodePoint() {
    JsonObject exactly = new JsonObject().put("chat_id", 1).put("text", "я".repeat(4096));
    assertEquals(exactly, fit(TELEGRAM, "sendMessage", exactly), "exactly 4096 goes as it is");
    JsonObject over = new JsonObject().put("chat_id", 1).put("text", "я".repeat(4097));
    String cut = fit(TELEGRAM, "sendMessage", over).getString("text");
    assertEquals("я".repeat(4095) + "…", cut);
    assertEquals(4097, over.getString("text").length(), "the caller's parameters are left as they were");
    String straddling = "a".repeat(4094) + "😀" + "b".repeat(10);
    assertEquals("a".repeat(4094) + "…", fit(TELEGRAM, "editMessageText", new JsonObject().put("text", straddling)).getString("text"));

    assertEquals(1024, fit(TELEGRAM, "sendPhoto", new JsonObject().put("caption", "c".repeat(2000))).getString("caption").length());
    JsonObject group = fit(TELEGRAM, "sendMediaGroup", new JsonObject().put("media", new JsonArray()
        .add(new JsonObject().put("type", "photo").put("caption", "c".repeat(1025)))));
    assertEquals(1024, group.getJsonArray("media").getJsonObject(0).getString("caption").length());
    assertEquals(200, fit(TELEGRAM, "answerCallbackQuery", new JsonObject().put("callback_query_id", "q")
        .put("text", "n".repeat(500))).getString("text").length());
    PlatformDialect.ApiCall answer = TELEGRAM.answerCallback(new JsonObject().put("callback_query", new JsonObject().put("id", "q")),
        "😀".repeat(150), true);
    String notice = fit(TELEGRAM, answer.method(), answer.params()).getString("text");
    assertEquals("😀".repeat(99) + "…", notice, "the shortcut's notice goes through the same fitter");
  }

  @Test
  void entitiesPastTheCutAreDroppedAndAParseModeWithACut() {
    JsonObject params = new JsonObject().put("text", "x".repeat(5000)).put("parse_mode", "HTML")
        .put("entities", new JsonArray()
            .add(new JsonObject().put("type", "bold").put("offset", 0).put("length", 10))
            .add(new JsonObject().put("type", "italic").put("offset", 4090).put("length", 100))
            .add(new JsonObject().put("type", "code").put("offset", 4500).put("length", 5)));
    JsonObject fitted = fit(TELEGRAM, "sendMessage", params);
    assertNull(fitted.getValue("parse_mode"), "a cut may break the markup: sent as plain text");
    JsonArray entities = fitted.getJsonArray("entities");
    assertEquals(2, entities.size());
    assertEquals(5, entities.getJsonObject(1).getInteger("length"), "shortened to the kept text");
    JsonObject fits = new JsonObject().put("text", "<b>hi</b>").put("parse_mode", "HTML");
    assertEquals(fits, fit(TELEGRAM, "sendMessage", fits), "a text that fits keeps its parse mode");
  }

  @Test
  void callbackDataOverTheLimitIsRefusedBeforeSendingNamingTheButton() {
    String data64 = "d".repeat(62) + "ж"; // 64 bytes
    PlatformDialect.ApiCall ok = TELEGRAM.send("1", "hi", List.of(List.of(new Button("Fine", data64))), null);
    fit(TELEGRAM, ok.method(), ok.params());
    PlatformDialect.ApiCall bad = TELEGRAM.send("1", "hi", List.of(List.of(new Button("A", "a")),
        List.of(new Button("B", "b"), new Button("Too long", "d".repeat(63) + "ж"))), null);
    ButtonDataRefused refused = assertThrows(ButtonDataRefused.class, () -> fit(TELEGRAM, bad.method(), bad.params()));
    assertTrue(refused.getMessage().contains("\"Too long\" (row 2, button 2)"), refused.getMessage());
    assertTrue(refused.getMessage().contains("65 bytes") && refused.getMessage().contains("1-64 bytes"), refused.getMessage());
    assertTrue(NoRetry.in(refused), "another attempt would be refused the same");

    List<String> sent = new ArrayList<>();
    Future<Object> call = OutgoingFit.sender(TELEGRAM, (m, p, g) -> {
      sent.add(m);
      return Future.succeededFuture(true);
    }).call(bad.method(), bad.params(), null);
    assertTrue(call.failed() && call.cause() instanceof ButtonDataRefused);
    assertEquals(List.of(), sent, "nothing reaches the client");
    JsonObject raw = new JsonObject().put("chat_id", 1).put("text", "t").put("reply_markup", new JsonObject()
        .put("inline_keyboard", new JsonArray().add(new JsonArray().add(new JsonObject().put("text", "x").put("callback_data", "")))));
    assertThrows(ButtonDataRefused.class, () -> fit(TELEGRAM, "sendMessage", raw), "Telegram takes 1-64 bytes");
  }

  @Test
  void maxBodiesAreFittedToMaxsLimits() {
    PlatformDialect.ApiCall send = MAX.send("5", "ж".repeat(4001), List.of(List.of(new Button("л".repeat(200), "p"))), null);
    JsonObject body = fit(MAX, send.method(), send.params()).getJsonObject("body");
    assertEquals("ж".repeat(3999) + "…", body.getString("text"));
    String label = body.getJsonArray("attachments").getJsonObject(0).getJsonObject("payload").getJsonArray("buttons")
        .getJsonArray(0).getJsonObject(0).getString("text");
    assertEquals(128, label.length(), "a button's label is cut to 128");
    PlatformDialect.ApiCall edit = MAX.edit("5", "mid.1", "😀".repeat(2500), List.of(), new JsonObject().put("format", "markdown"));
    JsonObject edited = fit(MAX, edit.method(), edit.params()).getJsonObject("body");
    assertTrue(edited.getString("text").length() <= 4000);
    assertFalse(edited.containsKey("format"));
    PlatformDialect.ApiCall bad = MAX.send("5", "hi", List.of(List.of(new Button("Big", "p".repeat(1025)))), null);
    assertThrows(ButtonDataRefused.class, () -> fit(MAX, bad.method(), bad.params()));
    JsonObject answers = fit(MAX, "POST /answers", new JsonObject().put("query", new JsonObject().put("callback_id", "c"))
        .put("body", new JsonObject().put("notification", "n".repeat(5000))
            .put("message", new JsonObject().put("text", "m".repeat(5000)))));
    assertEquals(4000, answers.getJsonObject("body").getString("notification").length());
    assertEquals(4000, answers.getJsonObject("body").getJsonObject("message").getString("text").length());
  }

  @Test
  void loneSurrogatesAnywhereAreMended() {
    JsonObject fitted = fit(TELEGRAM, "sendPoll", new JsonObject().put("question", "q\uD83D")
        .put("options", new JsonArray().add(new JsonObject().put("text", "\uDE00o"))));
    assertEquals("q\uFFFD", fitted.getString("question"));
    assertEquals("\uFFFDo", fitted.getJsonArray("options").getJsonObject(0).getString("text"));
  }
}
