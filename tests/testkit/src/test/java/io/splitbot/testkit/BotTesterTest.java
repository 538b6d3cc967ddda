package io.splitbot.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotContext;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.UpdateContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tester runs a real module through the edge and the worker, and reads back what the user would see. */
class BotTesterTest {

  /** A bot with one of each: a command, inline buttons that edit their message, a contact, text, a failing command. */
  public static final class SampleModule implements BotModule {
    @Override
    public Bot create(BotContext context) {
      return new Bot()
          .command("start", "Say hello", ctx -> ctx.reply("Hello!"))
          .command("color", ctx -> ctx.reply("Pick a colour", List.of(
              List.of(new Button("Red", "color:red"), new Button("Blue", "color:blue")))))
          .callback("color:", ctx -> ctx.answerCallback("Noted")
              .compose(v -> ctx.editMessage(ctx.chatId(), ctx.callbackMessageId(),
                  "You picked " + ctx.callbackData().substring("color:".length()), List.of(), null)))
          .command("fail", ctx -> Future.failedFuture(new IllegalStateException("this command always fails")))
          // Telegram's shared contact, read from the raw update
          .when(ctx -> contact(ctx) != null,
              ctx -> ctx.reply("Got " + contact(ctx).getString("phone_number") + " from user " + contact(ctx).getLong("user_id")))
          .text(ctx -> ctx.reply("You said: " + ctx.text() + " (" + context.env().string("GREETING_SUFFIX", "-") + ")"));
    }

    private static JsonObject contact(UpdateContext ctx) {
      JsonObject message = ctx.update().getJsonObject("message");
      return message == null ? null : message.getJsonObject("contact");
    }
  }

  @Test
  void aCommandIsAnsweredAndTheChatsAreKeptApart() {
    try (BotTester tester = BotTester.start(new SampleModule(), Map.of("GREETING_SUFFIX", "extra env"))) {
      TestChat ann = tester.chat(1001);
      TestChat bob = tester.chat(1002, "Bob", "Baker", "de");
      ann.send("/start");
      assertEquals("Hello!", ann.lastReply().text());
      bob.send("hi there");
      assertEquals("You said: hi there (extra env)", bob.lastReply().text());
      assertEquals(List.of("Hello!"), ann.replies().stream().map(BotMessage::text).toList());
      assertEquals(List.of("you: /start", "bot: Hello!"), ann.transcript());
      assertEquals(2, tester.handled());
      assertEquals(new JsonObject().put("command", "start").put("description", "Say hello"),
          tester.api().calls("setMyCommands").get(0).params().getJsonArray("commands").getJsonObject(0),
          "the bot started as in production, with its command menu");
    }
  }

  @Test
  void pressingAButtonSendsItsCallbackAndAMissingButtonFailsClearly() {
    try (BotTester tester = BotTester.start(new SampleModule())) {
      TestChat chat = tester.chat(2001);
      AssertionError none = assertThrows(AssertionError.class, () -> chat.press("Red"));
      assertTrue(none.getMessage().contains("no message with inline buttons"), none.getMessage());

      chat.send("/color");
      BotMessage question = chat.lastReply();
      assertEquals(List.of("Red", "Blue"), question.buttonTexts());
      assertEquals(List.of("color:red", "color:blue"), question.buttonData());
      AssertionError missing = assertThrows(AssertionError.class, () -> chat.press("Green"));
      assertTrue(missing.getMessage().contains("no button 'Green'") && missing.getMessage().contains("[Red] [Blue]"),
          missing.getMessage());

      chat.press("Blue");
      BotMessage edit = chat.lastReply();
      assertTrue(edit.edited());
      assertEquals(question.messageId(), edit.messageId());
      assertEquals("You picked blue", edit.text());
      assertEquals(List.of("Noted"), chat.callbackAnswers());
      assertEquals(1, chat.messages().size(), "the edit changed the message, it sent none");
      assertEquals("You picked blue", chat.lastMessage().text());
      assertFalse(chat.lastMessage().hasButtons(), "the edit took the buttons away");
      assertEquals(List.of("you: /color", "bot: Pick a colour [Red] [Blue]", "you: [Blue]", "bot (notice): Noted",
          "bot (edits #1): You picked blue"), chat.transcript());

      // the buttons are gone: press() finds none, a stale press still reaches the bot
      assertThrows(AssertionError.class, () -> chat.press("Red"));
      chat.pressAnyway(question, "color:red");
      assertEquals("You picked red", chat.lastMessage().text());
    }
  }

  @Test
  void aSharedContactCarriesTheUsersOwnNumber() {
    try (BotTester tester = BotTester.start(new SampleModule())) {
      TestChat chat = tester.chat(3001);
      chat.shareContact("+15550100");
      assertEquals("Got +15550100 from user 3001", chat.lastReply().text());
    }
  }

  @Test
  void aHandlerThatKeepsFailingFailsTheSendWithTheDeadLetter() {
    try (BotTester tester = BotTester.start(new SampleModule(), Map.of("MAX_HANDLER_ATTEMPTS", "1"))) {
      TestChat chat = tester.chat(4001);
      AssertionError failed = assertThrows(AssertionError.class, () -> chat.send("/fail"));
      assertTrue(failed.getMessage().contains("dead letters"), failed.getMessage());
      chat.send("/start");
      assertEquals("Hello!", chat.lastReply().text(), "the chat goes on after a dead letter");
    }
  }

  @Test
  void closingStopsTheBotAndDeletesItsFolder() {
    BotTester tester = BotTester.start(new SampleModule());
    Path data = tester.dataDir();
    tester.chat(5001).send("/start");
    assertTrue(Files.isDirectory(data));
    tester.close();
    assertFalse(Files.exists(data.getParent()), "the temporary folder is gone");
    assertThrows(AssertionError.class, () -> tester.chat(5001).send("/start"), "nothing listens any more");
  }

  @Test
  void aBotThatCannotStartSaysWhy() {
    RuntimeException e = assertThrows(RuntimeException.class, () -> BotTester.start(new SampleModule(),
        Map.of("TELEGRAM_MODE", "sideways")));
    assertTrue(e.getMessage().contains("TELEGRAM_MODE"), String.valueOf(e));
  }

  @Test
  void onATestsOwnVertxAndFakeClosingUndeploysOnlyTheBot(@TempDir Path dir) {
    Vertx vertx = Vertx.vertx();
    try {
      FakeTelegramApi api = new FakeTelegramApi(vertx, BotTester.TOKEN);
      api.start().toCompletionStage().toCompletableFuture().join();
      Map<String, String> env = BotTester.env(api, dir);
      env.remove("TELEGRAM_WEBHOOK_SECRET");
      env.put("WEBHOOK_ALLOW_UNAUTHENTICATED", "true");
      BotTester tester = BotTester.start(vertx, api, new SampleModule(), env);
      tester.chat(7001).send("/start");
      assertEquals("Hello!", tester.chat(7001).lastReply().text(), "posted without a secret, as the bot expects");
      tester.close();
      assertEquals(0, vertx.deploymentIDs().size(), "the edge and the worker are undeployed");
      assertTrue(api.port() > 0, "the fake still serves");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  void aMessageCarriesTheFieldsGiven() {
    try (BotTester tester = BotTester.start(new SampleModule())) {
      TestChat chat = tester.chat(6001);
      chat.sendMessage(new JsonObject().put("text", "with an entity").put("entities", new io.vertx.core.json.JsonArray()));
      assertEquals("You said: with an entity (-)", chat.lastReply().text());
    }
  }
}
