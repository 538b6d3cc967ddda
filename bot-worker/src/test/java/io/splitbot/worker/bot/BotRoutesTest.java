package io.splitbot.worker.bot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.splitbot.worker.platform.telegram.TelegramDialect;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher's routing order, and what a handler may return. */
class BotRoutesTest {
  private final Vertx vertx = Vertx.vertx();
  private final List<String> ran = new ArrayList<>();
  private final List<String> sent = new ArrayList<>();
  private final BotCalls calls = (method, params) -> {
    sent.add(method + " " + params.getString("text"));
    return Future.succeededFuture(new JsonObject());
  };

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private UpdateHandler mark(String name) {
    return ctx -> {
      ran.add(name);
      return null;
    };
  }

  private Future<Void> run(Bot bot, JsonObject update) {
    return bot.dispatch(new UpdateContext(vertx, TelegramDialect.INSTANCE, String.valueOf(update.getLong("update_id")), update, "1", calls, new JsonObject()));
  }

  private String dispatch(Bot bot, JsonObject update) {
    ran.clear();
    run(bot, update).await();
    return String.join(",", ran);
  }

  private static JsonObject message(String text) {
    return new JsonObject().put("update_id", 1).put("message", new JsonObject().put("message_id", 1)
        .put("chat", new JsonObject().put("id", 1).put("type", "private")).put("text", text));
  }

  private static JsonObject press(String data) {
    return new JsonObject().put("update_id", 2).put("callback_query", new JsonObject().put("id", "q").put("data", data)
        .put("from", new JsonObject().put("id", 1)));
  }

  @Test
  void routesAreTriedInTheDocumentedOrder() {
    Bot bot = new Bot()
        .command("start", mark("command"))
        .callback("a:", mark("callback a:"))
        .callback("a:b", mark("callback a:b"))
        .when(ctx -> "magic".equals(ctx.text()), mark("predicate"))
        .on("message", mark("type message"))
        .on("my_chat_member", mark("type my_chat_member"))
        .text(mark("text"))
        .fallback(mark("fallback"));
    assertEquals("command", dispatch(bot, message("/start@my_bot now")));
    assertEquals("callback a:b", dispatch(bot, press("a:b:1")), "the longest prefix wins");
    assertEquals("predicate", dispatch(bot, message("magic")));
    assertEquals("type message", dispatch(bot, message("hello")), "a type route comes before the text route");
    assertEquals("type my_chat_member", dispatch(bot, new JsonObject().put("update_id", 3).put("my_chat_member", new JsonObject())));
    assertEquals("fallback", dispatch(bot, press("zzz")));
    assertEquals("fallback", dispatch(bot, new JsonObject().put("update_id", 4).put("poll", new JsonObject())));
  }

  @Test
  void theTextRouteTakesTextThatNoOtherRouteTook() {
    Bot bot = new Bot().command("start", mark("command")).text(mark("text")).fallback(mark("fallback"));
    assertEquals("text", dispatch(bot, message("hello")));
    assertEquals("fallback", dispatch(bot, message("/unknown")));
  }

  @Test
  void middlewareRunsFirstAndMayStopTheUpdate() {
    Bot bot = new Bot()
        .use((ctx, next) -> {
          ran.add("middleware");
          return "blocked".equals(ctx.text()) ? null : next.get();
        })
        .text(mark("text"));
    assertEquals("middleware,text", dispatch(bot, message("hello")));
    assertEquals("middleware", dispatch(bot, message("blocked")));
  }

  @Test
  void handlersReturnAnyFutureAndAThrowIsAFailedAttempt() {
    run(new Bot().text(ctx -> ctx.reply("hi")), message("hello")).await();
    assertEquals(List.of("sendMessage hi"), sent);
    Bot throwing = new Bot().text(ctx -> {
      throw new IllegalStateException("boom");
    });
    assertEquals("boom", run(throwing, message("x")).cause().getMessage());
    Bot throwingPredicate = new Bot().when(ctx -> {
      throw new IllegalArgumentException("bad predicate");
    }, mark("never"));
    assertEquals("bad predicate", run(throwingPredicate, message("x")).cause().getMessage());
  }

  @Test
  void buttonsBecomeAnInlineKeyboard() {
    List<JsonObject> params = new ArrayList<>();
    BotCalls recording = (method, p) -> {
      params.add(p);
      return Future.succeededFuture(new JsonObject());
    };
    new UpdateContext(vertx, TelegramDialect.INSTANCE, "1", message("x"), "1", recording, new JsonObject())
        .reply("Pick", List.of(List.of(new Button("Yes", "y"), new Button("No", "n")))).await();
    assertEquals(new JsonObject("{\"inline_keyboard\":[[{\"text\":\"Yes\",\"callback_data\":\"y\"},{\"text\":\"No\",\"callback_data\":\"n\"}]]}"),
        params.get(0).getJsonObject("reply_markup"));
    assertEquals("1", params.get(0).getString("chat_id"));
  }

  @Test
  void theCommandMenuKeepsTheOrderAndFallsBackToTheName() {
    Bot bot = new Bot().command("start", "Say hello", mark("s")).command("Stats", mark("t"));
    assertEquals(Map.of("start", "Say hello", "stats", "stats"), bot.commandMenu());
    assertEquals(List.of("start", "stats"), List.copyOf(bot.commandMenu().keySet()));
  }

  @Test
  void blockingCodeRunsOffTheEventLoop() {
    UpdateContext ctx = new UpdateContext(vertx, TelegramDialect.INSTANCE, "1", message("x"), "1", calls, new JsonObject());
    String thread = ctx.blocking(() -> Thread.currentThread().getName()).await();
    assertTrue(thread.contains("worker-thread"), thread);
  }
}
