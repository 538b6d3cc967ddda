package io.splitbot.tests.module;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitbot.testkit.BotTester;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A Bot API method no shortcut covers ({@code ctx.call("sendPhoto", …)}), a route by update type and a predicate
 * route, through the whole runtime: the call reaches Telegram with its parameters, and the effect ledger keeps an
 * attempt that failed after it from sending it again.
 */
class BotApiCallTest {
  /** How many of the next /photo attempts fail after sending the photo. */
  private static final AtomicInteger failuresLeft = new AtomicInteger();

  private static final BotModule PHOTOS = context -> new Bot()
      .command("photo", ctx -> ctx.call("sendPhoto", new JsonObject().put("chat_id", ctx.chatId())
              .put("photo", "https://example.org/cat.jpg").put("caption", "A cat"))
          .compose(sent -> {
            if (failuresLeft.getAndDecrement() > 0) {
              throw new IllegalStateException("failing after the photo went out");
            }
            return ctx.reply("photo " + ((JsonObject) sent).getInteger("message_id"));
          }))
      .when(ctx -> ctx.text() != null && ctx.text().startsWith("!"), ctx -> ctx.reply("bang"))
      .on("edited_message", ctx -> ctx.sendMessage(ctx.chatId(), "you edited it", List.of(), null));

  @Test
  void anyMethodGoesOutOnceEvenWhenTheHandlerFailsAfterIt() {
    try (BotTester tester = BotTester.start(PHOTOS)) {
      FakeTelegramApi api = tester.api();
      AtomicInteger messageIds = new AtomicInteger(500);
      api.respondTo("sendPhoto", params -> new JsonObject().put("message_id", messageIds.incrementAndGet())
          .put("chat", new JsonObject().put("id", params.getValue("chat_id"))).put("photo", List.of()));
      TestChat chat = tester.chat(3001);
      failuresLeft.set(2);
      chat.send("/photo");
      assertEquals(1, api.calls("sendPhoto").size(), "two failed attempts after the call, and still one photo");
      JsonObject params = api.calls("sendPhoto").get(0).params();
      assertEquals("3001", String.valueOf(params.getValue("chat_id")));
      assertEquals("A cat", params.getString("caption"));
      assertEquals("photo 501", chat.lastReply().text(), "the retry got the first call's result");
    }
  }

  @Test
  void predicateAndUpdateTypeRoutesRunThroughTheRuntime() {
    try (BotTester tester = BotTester.start(PHOTOS)) {
      TestChat chat = tester.chat(3002);
      chat.send("!now");
      assertEquals("bang", chat.lastReply().text());
      long id = tester.nextUpdateId();
      tester.deliver(new JsonObject().put("update_id", id).put("edited_message", new JsonObject().put("message_id", 1)
          .put("date", 1_758_960_000L).put("edit_date", 1_758_960_100L).put("text", "changed")
          .put("chat", new JsonObject().put("id", 3002).put("type", "private")).put("from", chat.user())));
      assertEquals("you edited it", chat.lastReply().text());
    }
  }
}
