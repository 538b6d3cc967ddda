package io.splitbot.examples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitbot.testkit.BotMessage;
import io.splitbot.testkit.BotTester;
import io.splitbot.testkit.TestChat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bot as its users see it, through splitbot's testkit: a fake Telegram, the real runtime. */
class HelloModuleTest {

  @Test
  void startSaysHello() {
    try (BotTester tester = BotTester.start(new HelloModule())) {
      TestChat chat = tester.chat(1001);
      chat.send("/start");
      assertEquals("Hello! Try /name, /count or /button.", chat.lastReply().text());
    }
  }

  @Test
  void theNameIsAskedForAndTheNextMessageAnswersIt() {
    try (BotTester tester = BotTester.start(new HelloModule())) {
      TestChat chat = tester.chat(1001);
      chat.send("hello?");
      assertEquals("I don't know that one. Try /start.", chat.lastReply().text());
      chat.send("/name");
      assertEquals("What's your name?", chat.lastReply().text());
      chat.send("Ada");
      assertEquals("Nice to meet you, Ada!", chat.lastReply().text());
      chat.send("Ada");
      assertEquals("I don't know that one. Try /start.", chat.lastReply().text(), "the conversation is over");
    }
  }

  @Test
  void theCounterKeepsCountingPerChatFromTheCommandAndTheButton() {
    try (BotTester tester = BotTester.start(new HelloModule())) {
      TestChat ada = tester.chat(1001);
      TestChat bob = tester.chat(1002);
      ada.send("/count");
      ada.send("/count");
      bob.send("/count");
      ada.send("/button");
      assertEquals(List.of("Count"), ada.lastReply().buttonTexts());
      ada.press("Count");
      ada.press("Count");
      assertEquals(List.of("Count: 1", "Count: 2", "Press it as often as you like.", "Count: 3", "Count: 4"),
          ada.replies().stream().map(BotMessage::text).toList());
      assertEquals(List.of("Counted", "Counted"), ada.callbackAnswers());
      assertEquals("Count: 1", bob.lastReply().text(), "each chat has its own counter");
    }
  }

  @Test
  void theCounterAndTheConversationSurviveARestart(@TempDir Path data) {
    Map<String, String> env = Map.of("DATA_DIR", data.toString());
    try (BotTester tester = BotTester.start(new HelloModule(), env)) {
      TestChat chat = tester.chat(1001);
      chat.send("/count");
      chat.send("/count");
      chat.send("/name");
    }
    try (BotTester tester = BotTester.start(new HelloModule(), env)) {
      tester.skipUpdateIdsTo(5000); // the restarted bot remembers the update ids it has handled
      TestChat chat = tester.chat(1001);
      chat.send("Grace");
      assertEquals("Nice to meet you, Grace!", chat.lastReply().text());
      chat.send("/count");
      assertEquals("Count: 3", chat.lastReply().text());
    }
  }
}
