package io.splitbot.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.bot.DeskBot;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.edge.platform.max.MaxUpdates;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotCalls;
import io.splitbot.worker.bot.Button;
import io.splitbot.worker.bot.PlatformApi;
import io.splitbot.worker.bot.UpdateContext;
import io.splitbot.worker.platform.PlatformDialect;
import io.splitbot.worker.platform.max.MaxDialect;
import io.splitbot.worker.platform.telegram.TelegramDialect;
import io.splitbot.worker.profile.ProfileCapture;
import io.splitbot.worker.profile.ProfileSettings;
import io.splitbot.worker.profile.Profiles;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desk's handlers on MAX and Telegram side by side, with the calls each platform would get recorded: the /new
 * conversation's phone question, buttons and edits on MAX, a reply that becomes a comment, and notifications that go
 * to each person on their own platform.
 */
class DeskOnTwoPlatformsTest {
  private static final long MAX_USER = 7;
  private static final long MAX_DIALOG = 70_007;
  private static final long TELEGRAM_ADMIN = 900;

  private Vertx vertx;
  private Storage storage;
  private Bot bot;
  private long sequence = 1_000;
  /** Every call, as {@code {"platform","method","params"}}, in order. */
  private final List<JsonObject> calls = new ArrayList<>();
  /** Sessions per platform and chat, kept as the runtime keeps them. */
  private final Map<String, JsonObject> sessions = new HashMap<>();

  @BeforeEach
  void open(@TempDir Path dir) {
    vertx = Vertx.vertx();
    storage = new JsonStorage(vertx, dir.resolve("storage"), false);
    storage.start().await();
    deskWith(Profiles.of(storage, null, 3600));
  }

  /** The desk on {@code profiles}, behind the runtime's profile capture. */
  private void deskWith(Profiles profiles) {
    Desk desk = Desk.of(DeskConfig.fromEnv(Map.of("ADMIN_USER_IDS", TELEGRAM_ADMIN + ",max:901")), storage, null, profiles);
    bot = new Bot().use(new ProfileCapture(desk.profiles()));
    Bot desks = DeskBot.create(desk, storage.keyValue("desk-reservations"), this::api);
    bot = bot.fallback(desks::dispatch);
  }

  @AfterEach
  void close() {
    storage.close().await();
    vertx.close().await();
  }

  /** A platform's API outside an update: records what it would send. */
  private PlatformApi api(String platform) {
    PlatformDialect dialect = platform.equals("max") ? MaxDialect.INSTANCE : TelegramDialect.INSTANCE;
    return new PlatformApi() {
      @Override
      public String platform() {
        return platform;
      }

      @Override
      public boolean configured() {
        return true;
      }

      @Override
      public Future<Object> call(String method, JsonObject params) {
        return record(platform, method, params);
      }

      @Override
      public String userTarget(long userId) {
        return dialect.userTarget(userId);
      }

      @Override
      public Future<JsonObject> sendMessage(String target, String text, List<List<Button>> rows, JsonObject extra) {
        PlatformDialect.ApiCall send = dialect.send(target, text, rows, extra);
        return call(send.method(), send.params()).map(r -> (JsonObject) r);
      }
    };
  }

  private Future<Object> record(String platform, String method, JsonObject params) {
    calls.add(new JsonObject().put("platform", platform).put("method", method).put("params", params.copy()));
    JsonObject result = platform.equals("max")
        ? new JsonObject().put("message", new JsonObject().put("body", new JsonObject().put("mid", "mid.sent" + calls.size())))
        : new JsonObject().put("message_id", calls.size());
    return Future.succeededFuture(result);
  }

  private void run(PlatformDialect dialect, JsonObject update, String chatKey) {
    String platform = dialect.platform();
    BotCalls out = (method, params) -> record(platform, method, params);
    JsonObject session = sessions.computeIfAbsent(platform + "/" + chatKey, k -> new JsonObject()).copy();
    String key = platform.equals("max") ? "max:" + (++sequence) : String.valueOf(++sequence);
    bot.dispatch(new UpdateContext(vertx, dialect, key, update, chatKey, out, session)).await();
    sessions.put(platform + "/" + chatKey, session);
  }

  // ---------------------------------------------------------------- MAX updates

  private JsonObject maxUser() {
    return new JsonObject().put("user_id", MAX_USER).put("first_name", "Мария").put("last_name", "Иванова").put("is_bot", false);
  }

  private JsonObject maxMessage(String text, JsonObject link) {
    JsonObject message = new JsonObject().put("sender", maxUser())
        .put("recipient", new JsonObject().put("chat_id", MAX_DIALOG).put("chat_type", "dialog").put("user_id", 1))
        .put("timestamp", ++sequence)
        .put("body", new JsonObject().put("mid", "mid.in" + sequence).put("seq", sequence).put("text", text));
    if (link != null) {
      message.put("link", link);
    }
    return new JsonObject().put("update_type", "message_created").put("timestamp", sequence).put("user_locale", "en")
        .put("message", message);
  }

  private JsonObject maxPress(String payload, String mid) {
    return new JsonObject().put("update_type", "message_callback").put("timestamp", ++sequence).put("user_locale", "en")
        .put("callback", new JsonObject().put("timestamp", sequence).put("callback_id", "cb" + sequence)
            .put("payload", payload).put("user", maxUser()))
        .put("message", new JsonObject().put("sender", new JsonObject().put("user_id", 1).put("first_name", "Bot").put("is_bot", true))
            .put("recipient", new JsonObject().put("chat_id", MAX_DIALOG).put("chat_type", "dialog").put("user_id", MAX_USER))
            .put("timestamp", sequence - 1)
            .put("body", new JsonObject().put("mid", mid).put("seq", sequence - 1).put("text", "…")));
  }

  private void maxSends(String text) {
    JsonObject update = maxMessage(text, null);
    run(MaxDialect.INSTANCE, update, MaxUpdates.chatKey(update));
  }

  private void maxPresses(String payload) {
    JsonObject update = maxPress(payload, "mid.sent" + calls.size());
    run(MaxDialect.INSTANCE, update, MaxUpdates.chatKey(update));
  }

  private List<JsonObject> callsOf(String platform) {
    return calls.stream().filter(c -> c.getString("platform").equals(platform)).toList();
  }

  private JsonObject lastSentOnMax() {
    List<JsonObject> sent = callsOf("max").stream().filter(c -> c.getString("method").equals("POST /messages")).toList();
    return sent.get(sent.size() - 1).getJsonObject("params");
  }

  private static List<String> payloads(JsonObject maxBody) {
    List<String> out = new ArrayList<>();
    JsonArray attachments = maxBody.getJsonArray("attachments", new JsonArray());
    for (Object a : attachments) {
      for (Object row : ((JsonObject) a).getJsonObject("payload").getJsonArray("buttons")) {
        for (Object b : (JsonArray) row) {
          assertEquals("callback", ((JsonObject) b).getString("type"));
          out.add(((JsonObject) b).getString("payload"));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- Telegram updates

  private JsonObject telegramMessage(long user, String text) {
    return new JsonObject().put("update_id", ++sequence).put("message", new JsonObject().put("message_id", sequence)
        .put("chat", new JsonObject().put("id", user).put("type", "private"))
        .put("from", new JsonObject().put("id", user).put("is_bot", false).put("first_name", "Admin").put("language_code", "en"))
        .put("text", text));
  }

  private JsonObject telegramPress(long user, String data) {
    return new JsonObject().put("update_id", ++sequence).put("callback_query", new JsonObject().put("id", "q" + sequence)
        .put("from", new JsonObject().put("id", user).put("is_bot", false).put("first_name", "Admin").put("language_code", "en"))
        .put("data", data).put("message", new JsonObject().put("message_id", 1)
            .put("chat", new JsonObject().put("id", user).put("type", "private")).put("text", "card")));
  }

  // ---------------------------------------------------------------- tests

  /** Runs /new on MAX to the summary and confirms; returns the request number. */
  private String fileOnMax() {
    maxSends("/new");
    for (String answer : List.of("Broken door lock", "The lock of the front door is jammed", "5 Park Lane", "3")) {
      maxSends(answer);
    }
    assertEquals(List.of("new:cat:plumbing", "new:cat:electrical", "new:cat:heating", "new:cat:cleaning", "new:cat:other"),
        payloads(lastSentOnMax().getJsonObject("body")), "the category question's buttons, as MAX callback buttons");
    maxPresses("new:cat:other");
    JsonObject chosen = callsOf("max").stream().filter(c -> c.getString("method").equals("PUT /messages")).findFirst()
        .orElseThrow().getJsonObject("params").getJsonObject("body");
    assertEquals("Category: Other", chosen.getString("text"));
    assertEquals(new JsonArray(), chosen.getJsonArray("attachments"), "the answered question loses its buttons on MAX too");
    maxPresses("new:pri:normal");

    String phoneQuestion = lastSentOnMax().getJsonObject("body").getString("text");
    assertTrue(phoneQuestion.contains("Step 7 of 8. Type a phone number"), phoneQuestion);
    assertFalse(phoneQuestion.contains("Share"), "no share-contact button to tap on MAX: " + phoneQuestion);
    maxSends("12345");
    assertTrue(lastSentOnMax().getJsonObject("body").getString("text").startsWith("That is not a phone number I can use"));
    maxSends("+998 90 111-22-33");
    assertTrue(lastSentOnMax().getJsonObject("body").getString("text").contains("Step 8 of 8"));
    assertEquals(List.of("new:name"), payloads(lastSentOnMax().getJsonObject("body")), "the MAX profile's name is offered");
    maxPresses("new:name");
    assertEquals(List.of("new:ok:1", "new:edit:1", "new:no:1"), payloads(lastSentOnMax().getJsonObject("body")));
    maxPresses("new:ok:1");
    ServiceRequest r = new DeskStorage(storage).requests().search(null, null, 0, 1).await().items().get(0);
    return r.number();
  }

  @Test
  void aMaxUserFilesARequestWithATypedPhoneAndNothingTelegramShapedGoesToMax() {
    String number = fileOnMax();
    ServiceRequest r = new DeskStorage(storage).requests().find(number).await().orElseThrow();
    assertEquals(new UserRef("max", MAX_USER), r.requester());
    assertEquals("+998901112233", r.phone());
    assertEquals("Мария Иванова", r.contactName());
    for (JsonObject c : callsOf("max")) {
      assertFalse(c.encode().contains("reply_markup") || c.encode().contains("request_contact"), "Telegram's keyboards stay off MAX: " + c);
      assertTrue(c.getString("method").matches("(POST|PUT) /messages|POST /answers"), c.encode());
    }
    // the admins hear of it on their platforms: Telegram's admin by chat id, MAX's admin by user_id
    List<JsonObject> telegram = callsOf("telegram");
    assertEquals(1, telegram.size(), telegram.toString());
    JsonObject toAdmin = telegram.get(0).getJsonObject("params");
    assertEquals(String.valueOf(TELEGRAM_ADMIN), toAdmin.getString("chat_id"));
    assertTrue(toAdmin.getString("text").startsWith("New request " + number + " from Мария Иванова"), toAdmin.getString("text"));
    assertTrue(toAdmin.getString("text").contains("🙋 Requester: Мария Иванова (MAX)"), "the card names the requester's platform");
    JsonObject toMaxAdmin = lastSentOnMax();
    assertEquals(new JsonObject().put("user_id", 901L), toMaxAdmin.getJsonObject("query"));
    assertTrue(toMaxAdmin.getJsonObject("body").getString("text").contains("🙋 Requester: Мария Иванова\n"),
        "a MAX admin reads a MAX requester without the platform: " + toMaxAdmin);
  }

  @Test
  void outsideTheProfileIntegrationsRolloutTheNameIsTypedAndTheRequesterShownById() {
    deskWith(Profiles.of(storage, null, new ProfileSettings(3600, true, 3000, 0)));
    maxSends("/new");
    for (String answer : List.of("Broken door lock", "The lock of the front door is jammed", "5 Park Lane", "3")) {
      maxSends(answer);
    }
    maxPresses("new:cat:other");
    maxPresses("new:pri:normal");
    maxSends("+998 90 111-22-33");
    assertTrue(lastSentOnMax().getJsonObject("body").getString("text").contains("Step 8 of 8"));
    assertEquals(List.of(), payloads(lastSentOnMax().getJsonObject("body")), "no profile name offered");
    maxSends("Maria I.");
    maxPresses("new:ok:1");

    ServiceRequest r = new DeskStorage(storage).requests().search(null, null, 0, 1).await().items().get(0);
    assertEquals("Maria I.", r.contactName());
    assertEquals("Мария", storage.users().find("max", MAX_USER).await().orElseThrow().firstName(),
        "the profile is captured all the same");
    String toAdmin = callsOf("telegram").get(0).getJsonObject("params").getString("text");
    assertTrue(toAdmin.startsWith("New request " + r.number() + " from " + MAX_USER), toAdmin);
    assertFalse(toAdmin.contains("Мария Иванова"), toAdmin);
  }

  @Test
  void aTelegramAdminsChangeReachesTheMaxRequesterOnMaxAndARepliedCardBecomesAComment() {
    String number = fileOnMax();
    run(TelegramDialect.INSTANCE, telegramMessage(TELEGRAM_ADMIN, "/find " + number), String.valueOf(TELEGRAM_ADMIN));
    int before = calls.size();
    run(TelegramDialect.INSTANCE, telegramPress(TELEGRAM_ADMIN, "st:" + number + ":new:in_progress"), String.valueOf(TELEGRAM_ADMIN));
    List<JsonObject> after = calls.subList(before, calls.size());
    JsonObject toRequester = after.stream().filter(c -> c.getString("platform").equals("max")).findFirst().orElseThrow();
    assertEquals("POST /messages", toRequester.getString("method"));
    assertEquals(new JsonObject().put("user_id", MAX_USER), toRequester.getJsonObject("params").getJsonObject("query"));
    assertTrue(toRequester.getJsonObject("params").getJsonObject("body").getString("text")
        .startsWith("Request " + number + " \"Broken door lock\": the status changed from \"New\" to \"In progress\""));
    assertTrue(after.stream().filter(c -> c.getString("platform").equals("telegram"))
        .noneMatch(c -> String.valueOf(MAX_USER).equals(c.getJsonObject("params").getString("chat_id"))), "nothing to Telegram chat 7");

    // the requester answers the notification with MAX's reply: a comment on the request
    String notice = toRequester.getJsonObject("params").getJsonObject("body").getString("text");
    JsonObject reply = maxMessage("Thank you, I'm home after six", new JsonObject().put("type", "reply")
        .put("message", new JsonObject().put("mid", "mid.n").put("text", notice)));
    run(MaxDialect.INSTANCE, reply, MaxUpdates.chatKey(reply));
    assertEquals(new UserRef("max", MAX_USER), new DeskStorage(storage).comments().list(number).await().get(0).author());
    assertEquals("Comment added to request " + number + ".", lastSentOnMax().getJsonObject("body").getString("text"));

    // the admin's card names the comment's author from their MAX profile
    run(TelegramDialect.INSTANCE, telegramMessage(TELEGRAM_ADMIN, "/status " + number), String.valueOf(TELEGRAM_ADMIN));
    JsonObject card = calls.get(calls.size() - 1).getJsonObject("params");
    assertTrue(card.getString("text").contains("— Мария Иванова: Thank you, I'm home after six"), card.getString("text"));

    // a MAX reply to a message naming no request is an answer like any other
    JsonObject plain = maxMessage("hello", new JsonObject().put("type", "reply").put("message", new JsonObject().put("mid", "m").put("text", "hi")));
    run(MaxDialect.INSTANCE, plain, MaxUpdates.chatKey(plain));
    assertEquals(1, new DeskStorage(storage).comments().list(number).await().size());
  }

  @Test
  void telegramKeepsItsShareContactKeyboardAndAMaxEditIsIgnoredByTheConversation() {
    long ivan = 501;
    run(TelegramDialect.INSTANCE, telegramMessage(ivan, "/new"), String.valueOf(ivan));
    JsonObject first = calls.get(calls.size() - 1).getJsonObject("params");
    assertEquals(new JsonObject().put("remove_keyboard", true), first.getJsonObject("reply_markup"));
    for (String answer : List.of("Leaking tap", "The kitchen tap drips all night", "1 Main Street", "12", "plumbing", "normal")) {
      run(TelegramDialect.INSTANCE, telegramMessage(ivan, answer), String.valueOf(ivan));
    }
    JsonObject phone = calls.get(calls.size() - 1).getJsonObject("params");
    assertTrue(phone.getString("text").contains("tap \"Share my phone number\""), phone.getString("text"));
    assertTrue(phone.getJsonObject("reply_markup").getJsonArray("keyboard").getJsonArray(0).getJsonObject(0).getBoolean("request_contact"));
    run(TelegramDialect.INSTANCE, telegramMessage(ivan, "+998 90 123-45-67"), String.valueOf(ivan));
    // the markups Telegram got, question by question, are the ones it always got
    List<String> markups = calls.stream().filter(c -> c.getString("platform").equals("telegram"))
        .map(c -> c.getJsonObject("params").getJsonObject("reply_markup"))
        .map(m -> m == null ? "none" : m.containsKey("remove_keyboard") ? "remove"
            : m.containsKey("keyboard") ? "share" : "inline " + m.getJsonArray("inline_keyboard").size() + " rows")
        .toList();
    assertEquals(List.of("remove", "remove", "remove", "remove", "inline 3 rows", "inline 2 rows", "share", "remove", "inline 1 rows"),
        markups);
    assertEquals(new JsonObject().put("inline_keyboard", new JsonArray().add(new JsonArray().add(new JsonObject()
        .put("text", "👤 Admin").put("callback_data", "new:name")))), calls.get(calls.size() - 1).getJsonObject("params")
        .getJsonObject("reply_markup"), "an inline button as Telegram draws it");

    maxSends("/new");
    int before = calls.size();
    JsonObject edit = maxMessage("edited", null).put("update_type", "message_edited");
    run(MaxDialect.INSTANCE, edit, MaxUpdates.chatKey(edit));
    assertEquals(before, calls.size(), "an edited message is no answer: the bot says nothing");
    assertNull(MaxDialect.INSTANCE.text(edit));
  }
}
