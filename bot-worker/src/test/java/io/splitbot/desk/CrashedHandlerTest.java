package io.splitbot.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.splitbot.worker.platform.telegram.TelegramDialect;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotCalls;
import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.desk.bot.DeskBot;
import io.splitbot.worker.effects.LedgeredCalls;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.vertx.core.Future;
import io.splitbot.worker.profile.ProfileCapture;
import io.splitbot.worker.profile.Profiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one case {@code ctx.once} cannot settle: a run that crashed in the middle of a write, which the next run finds
 * begun with its outcome unknown. The desk then does the write again, and it finds its own earlier work: no second
 * request or number, no second status change, comment or assignment, and the notifications still go out.
 */
class CrashedHandlerTest {
  private Vertx vertx;
  private Storage storage;
  private Bot bot;
  private long updateIds = 100;
  /** The chat's session, kept across updates as the runtime keeps it: changed only by a run that succeeded. */
  private JsonObject session = new JsonObject();

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    storage = new JsonStorage(vertx, dir.resolve("storage"), false);
    storage.start().await();
    Profiles profiles = Profiles.of(storage, null, 3600);
    Bot desk = DeskBot.create(Desk.of(DeskConfig.fromEnv(Map.of("ADMIN_USER_IDS", "900")), storage, null, profiles),
        storage.keyValue("desk-reservations"));
    // as the runtime runs it: the sender recorded first
    bot = new Bot().use(new ProfileCapture(profiles)).fallback(desk::dispatch);
  }

  @AfterEach
  void close() {
    storage.close().await();
    vertx.close().await();
  }

  /** The platform as a handler sees it; {@code crashInOnce} makes the first once() die after its effect ran. */
  static final class Calls implements BotCalls {
    final List<JsonObject> sent = new ArrayList<>();
    final boolean crashAfterEffect;
    final boolean findsUncertain;

    Calls(boolean crashAfterEffect, boolean findsUncertain) {
      this.crashAfterEffect = crashAfterEffect;
      this.findsUncertain = findsUncertain;
    }

    @Override
    public Future<Object> call(String method, JsonObject params) {
      sent.add(params.copy().put("method", method));
      return Future.succeededFuture(new JsonObject().put("message_id", sent.size()));
    }

    @Override
    public Future<Object> once(String label, Supplier<Future<Object>> effect) {
      if (findsUncertain) {
        return Future.succeededFuture(LedgeredCalls.UNCERTAIN.copy());
      }
      if (crashAfterEffect) {
        return effect.get().compose(r -> Future.failedFuture(new IllegalStateException("crash after " + label)));
      }
      return effect.get();
    }

    List<String> texts(long chat) {
      return sent.stream().filter(p -> p.getString("method").equals("sendMessage") && String.valueOf(chat).equals(p.getString("chat_id")))
          .map(p -> p.getString("text")).toList();
    }
  }

  private JsonObject from(long user, String lang) {
    return new JsonObject().put("id", user).put("is_bot", false).put("first_name", "U" + user).put("language_code", lang);
  }

  private JsonObject message(long user, String text) {
    return new JsonObject().put("update_id", ++updateIds).put("message", new JsonObject().put("message_id", updateIds)
        .put("chat", new JsonObject().put("id", user).put("type", "private")).put("from", from(user, "en")).put("text", text));
  }

  private JsonObject press(long user, String data) {
    return new JsonObject().put("update_id", ++updateIds).put("callback_query", new JsonObject().put("id", "q" + updateIds)
        .put("from", from(user, "en")).put("data", data).put("message", new JsonObject().put("message_id", 1)
            .put("chat", new JsonObject().put("id", user).put("type", "private")).put("text", "card")));
  }

  private Calls run(JsonObject update, Calls calls) {
    JsonObject working = session.copy();
    boolean succeeded = bot.dispatch(new UpdateContext(vertx, TelegramDialect.INSTANCE, String.valueOf(update.getLong("update_id")), update, "c", calls, working))
        .map(true).otherwise(false).await();
    if (succeeded) {
      session = working;
    }
    return calls;
  }

  /** Runs the update as a crash in the middle of its write, then as the run after the crash. */
  private Calls crashThenRerun(JsonObject update) {
    Calls crashed = run(update, new Calls(true, false));
    assertTrue(crashed.sent.stream().noneMatch(p -> p.getString("method").equals("sendMessage")), "the crash came before any message");
    return run(update, new Calls(false, true));
  }

  @Test
  void everyWriteFindsItsOwnEarlierWorkAfterACrash() {
    long ivan = 7;
    for (String text : List.of("/new", "Leaking tap", "The kitchen tap drips all night", "1 Main Street", "12")) {
      run(message(ivan, text), new Calls(false, false));
    }
    run(press(ivan, "new:cat:plumbing"), new Calls(false, false));
    run(press(ivan, "new:pri:normal"), new Calls(false, false));
    // a conversation answer whose state write crashed: the rerun shows the next question, once
    Calls phone = crashThenRerun(message(ivan, "+998901234567"));
    assertTrue(phone.texts(ivan).get(phone.texts(ivan).size() - 1).contains("Step 8 of 8"), phone.texts(ivan).toString());
    run(message(ivan, "Ivan"), new Calls(false, false));

    Calls confirm = crashThenRerun(press(ivan, "new:ok:1"));
    String number = new DeskStorage(storage).requests().search(null, null, 0, 10).await().items().get(0).number();
    assertEquals(1, new DeskStorage(storage).requests().search(null, null, 0, 10).await().total(), "one request");
    assertEquals(1L, new DeskStorage(storage).counters().current(number.substring(0, 6)).await(), "one number");
    assertTrue(confirm.texts(ivan).contains("Request " + number + " created\n\nYou will get a message here whenever its status changes. /status "
        + number + " shows it."), confirm.texts(ivan).toString());
    assertEquals(1, confirm.texts(900).size(), "the admin hears of it: " + confirm.texts(900));

    Calls assign = crashThenRerun(message(900, "/assign " + number + " 7"));
    assertEquals(1, new DeskStorage(storage).history().assignments(number).await().size());
    assertEquals(1, assign.texts(ivan).size(), "the executor is still notified: " + assign.sent);

    Calls status = crashThenRerun(press(ivan, "st:" + number + ":new:in_progress"));
    ServiceRequest r = new DeskStorage(storage).requests().find(number).await().orElseThrow();
    assertEquals("in_progress", r.status());
    assertEquals(2, new DeskStorage(storage).history().statusHistory(number).await().size(), "one change recorded");
    assertTrue(status.sent.stream().anyMatch(p -> "answerCallbackQuery".equals(p.getString("method"))
        && ("Request " + number + ": In progress").equals(p.getString("text"))), status.sent.toString());

    JsonObject reply = message(900, "On my way");
    reply.getJsonObject("message").put("reply_to_message", new JsonObject().put("message_id", 1)
        .put("from", new JsonObject().put("id", 1).put("is_bot", true).put("first_name", "Bot")).put("text", "Request " + number + " · In progress"));
    Calls comment = crashThenRerun(reply);
    assertEquals(1, new DeskStorage(storage).comments().list(number).await().size(), "one comment");
    assertEquals(1, comment.texts(ivan).size(), "the requester is told once: " + comment.sent);
  }
}
