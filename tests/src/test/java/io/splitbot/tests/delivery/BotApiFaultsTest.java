package io.splitbot.tests.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.Updates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * bot-worker.jar in polling mode against a Bot API that misbehaves: answers the poller cannot read, a chat rate
 * limited for a day, and a sendMessage answered only after the client gave up on it. Each time the bot goes on
 * serving, and nothing is sent twice.
 */
@ExtendWith(VertxExtension.class)
class BotApiFaultsTest {

  @Test
  void unreadableAnswersARateLimitedChatAndALostAnswerStopNothingAndRepeatNothing(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    // The poller's first three getUpdates answers: a number, an id that is a string, a chat that is a string.
    fake.enqueueRawUpdatesResult(new JsonArray().add(1));
    fake.enqueueRawUpdatesResult(new JsonArray().add(new JsonObject().put("update_id", "x")));
    fake.enqueueRawUpdatesResult(new JsonArray().add(new JsonObject().put("update_id", 3).put("message", new JsonObject().put("chat", "x"))));
    fake.enqueueUpdate(Updates.message(4, 701, "/echo still polling"));

    Path dir = TestEnv.tempDir("botapi-faults");
    Map<String, String> env = TestEnv.webhookEnv(fake.baseUrl(), dir.resolve("data"));
    env.put("TELEGRAM_MODE", "polling");
    env.remove("TELEGRAM_WEBHOOK_SECRET");
    try (JvmProcess bot = JvmProcess.start("bot", JvmProcess.workerJar(), env, dir)) {
      fake.awaitCalls("sendMessage", 1, Duration.ofSeconds(30));
      assertEquals(List.of("still polling"), texts(fake, "701"));
      awaitOffsetPast(fake, 4);

      // Chat 702 must wait a day: it is not answered, and chat 703 is, at once.
      fake.rateLimitChat("702", 86_400);
      fake.enqueueUpdate(Updates.message(5, 702, "/echo frozen"));
      awaitAnyCall(fake, "702");
      fake.enqueueUpdate(Updates.message(6, 703, "/echo not held up"));
      fake.awaitCalls("sendMessage", 2, Duration.ofSeconds(10));
      assertEquals(List.of("not held up"), texts(fake, "703"));
      assertEquals(1, fake.allCalls("sendMessage").stream().filter(c -> chat(c).equals("702")).count(),
          "the chat's later tries fail at the worker without asking Telegram again");

      // Answers come 35 s late, after the client's 30 s: the reply is carried out once and never sent again.
      fake.delayAnswers("sendMessage", Duration.ofSeconds(35));
      fake.enqueueUpdate(Updates.message(7, 704, "/echo slow"));
      fake.enqueueUpdate(Updates.message(8, 704, "/echo after the slow one"));
      // Per-chat order: the second reply leaves only once the first update is done.
      awaitText(fake, "704", "after the slow one", Duration.ofSeconds(90));
      assertEquals(List.of("slow", "after the slow one"), texts(fake, "704"), "each reply exactly once, in order");
      assertTrue(bot.alive(), bot.output());
      assertTrue(bot.output().contains("not sent again"), "the lost answer is logged");
      assertTrue(!bot.output().contains("\tat "), "no stack trace in the log:\n" + bot.output());
    } finally {
      fake.stop().await();
    }
  }

  /** The text of every message to {@code chatId} that Telegram carried out, answered or not, in arrival order. */
  private static List<String> texts(FakeTelegramApi fake, String chatId) {
    return fake.allCalls("sendMessage").stream()
        .filter(c -> chat(c).equals(chatId) && c.status() == 200)
        .map(c -> c.params().getString("text"))
        .toList();
  }

  private static String chat(FakeTelegramApi.RecordedCall call) {
    return String.valueOf(call.params().getValue("chat_id"));
  }

  private static void awaitAnyCall(FakeTelegramApi fake, String chatId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (fake.allCalls("sendMessage").stream().noneMatch(c -> chat(c).equals(chatId))) {
      assertTrue(System.nanoTime() < deadline, "no sendMessage to chat " + chatId);
      Thread.sleep(20);
    }
  }

  private static void awaitText(FakeTelegramApi fake, String chatId, String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!texts(fake, chatId).contains(text)) {
      assertTrue(System.nanoTime() < deadline, "no '" + text + "' to chat " + chatId + ": " + texts(fake, chatId));
      Thread.sleep(50);
    }
  }

  /** The poller confirmed every update up to {@code updateId}: its offset passed the unreadable ones too. */
  private static void awaitOffsetPast(FakeTelegramApi fake, long updateId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (fake.offsetsSeen().stream().noneMatch(o -> o > updateId)) {
      assertTrue(System.nanoTime() < deadline, "offsets seen: " + fake.offsetsSeen());
      Thread.sleep(20);
    }
  }
}
