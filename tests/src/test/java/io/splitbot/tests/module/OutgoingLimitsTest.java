package io.splitbot.tests.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.BotTester;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.pipeline.WorkerStats;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bot's own texts over Telegram's limits, through the whole runtime: a reply, a raw {@code ctx.call}, a call through
 * {@code BotContext.api()} and a button's notice arrive cut to the limit with "…" instead of failing the update at
 * Telegram, and a button whose callback data is too long is refused before sending: the update goes to the dead
 * letters after one attempt, naming the button, and nothing of it reaches Telegram.
 */
class OutgoingLimitsTest {
  private static final String FACE = "😀";

  private static final BotModule LOUD = context -> new Bot()
      .command("long", ctx -> ctx.reply("ж".repeat(5000)))
      .command("raw", ctx -> ctx.call("sendMessage", new JsonObject().put("chat_id", ctx.chatId())
          .put("text", "<b>" + FACE.repeat(3000) + "</b>").put("parse_mode", "HTML")))
      .command("outside", ctx -> context.api().call("sendMessage", new JsonObject().put("chat_id", ctx.chatId())
          .put("text", "a".repeat(4095) + FACE)))  // the emoji straddles unit 4096
      .command("menu", ctx -> ctx.reply("menu", List.of(List.of(new Button("Notice", "notice")))))
      .callback("notice", ctx -> ctx.answerCallback("n".repeat(300)))
      .command("broken", ctx -> ctx.reply("pick one", List.of(List.of(new Button("Fine", "ok"),
          new Button("Too much", "x".repeat(65))))));

  @Test
  void textsOverTheLimitsArriveCutAndAButtonWithTooMuchDataIsRefusedBeforeSending() {
    try (BotTester tester = BotTester.start(LOUD)) {
      FakeTelegramApi api = tester.api();
      TestChat chat = tester.chat(3101);
      chat.send("/long");
      assertEquals("ж".repeat(4095) + "…", chat.lastReply().text());
      chat.send("/raw");
      JsonObject raw = api.calls("sendMessage").get(1).params();
      assertEquals(4096, raw.getString("text").length(), "cut to the limit");
      assertTrue(raw.getString("text").endsWith(FACE + "…"), "cut on a code point");
      assertNull(raw.getValue("parse_mode"), "a cut may break the markup: sent as plain text");
      chat.send("/outside");
      assertEquals("a".repeat(4095) + "…", chat.lastReply().text(), "a call outside the update's context is fitted too");
      chat.send("/menu");
      chat.press("Notice");
      assertEquals(List.of("n".repeat(199) + "…"), chat.callbackAnswers());

      WorkerStats stats = tester.app().worker().stats();
      long failedBefore = stats.failedAttempts.get();
      AssertionError dead = assertThrows(AssertionError.class, () -> chat.send("/broken"));
      assertTrue(dead.getMessage().contains("went to the dead letters"), dead.getMessage());
      assertEquals(1, stats.deadLettered.get(), "dead-lettered at once");
      assertEquals(failedBefore + 1, stats.failedAttempts.get(), "after one attempt, not five");
      assertFalse(api.allCalls().stream().anyMatch(c -> "pick one".equals(c.params().getString("text"))),
          "nothing of it reached Telegram");
      String reason = tester.app().worker().resources().deadLetters().list().await().get(0).error();
      assertTrue(reason.contains("\"Too much\" (row 1, button 2)") && reason.contains("65 bytes"), reason);
      assertTrue(api.allCalls().stream().allMatch(FakeTelegramApi.RecordedCall::ok), "Telegram refused nothing");
    }
  }
}
