package io.splitbot.tests.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.Comment;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.testkit.BotMessage;
import io.splitbot.testkit.FakeMaxApi;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.MaxChat;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.tests.support.WebhookDeliverer;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The desk (bot-worker.jar's own module) on Telegram and MAX at once, in webhook mode, on PostgreSQL: a MAX user files
 * a request and hears of its changes on MAX; admins on either platform find it and move it along, and whoever a
 * change concerns hears of it on their own platform, never on the other one.
 */
@ExtendWith(VertxExtension.class)
class MaxDeskTest {
  static final long TELEGRAM_ADMIN = 900;
  static final long MAX_ADMIN = 5_550_901;
  /** MAX users; the requester's id is also a Telegram chat the bot must never write to for them. */
  static final long MAX_REQUESTER = 701;
  static final long MAX_REQUESTER_DIALOG = 80_701;
  static final long MAX_ADMIN_DIALOG = 80_901;
  static final Pattern NUMBER = Pattern.compile("(\\d{6}-\\d{3,})");

  private FakeMaxApi max;
  private FakeTelegramApi telegram;
  private String database;
  private JvmProcess bot;
  private Storage storage;
  private DeskHarness desk;
  private WebhookDeliverer maxEdge;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    telegram = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    telegram.start().await();
    max = new FakeMaxApi(vertx, MaxDeliveryTest.MAX_TOKEN);
    max.start().await();
    Path dir = TestEnv.tempDir("max-desk");
    database = PgDatabases.create("max_desk");
    Map<String, String> env = TestEnv.withMaxWebhook(TestEnv.webhookEnv(telegram.baseUrl(), dir.resolve("data")), max,
        MaxDeliveryTest.MAX_SECRET);
    env.put("DATABASE_URL", PgDatabases.url(database));
    env.put("ADMIN_USER_IDS", TELEGRAM_ADMIN + ",max:" + MAX_ADMIN);
    // no BOT_MODULE and no module jar: the desk, the worker's own
    bot = JvmProcess.start("desk", JvmProcess.workerJar(), env, dir);
    int edgePort = Integer.parseInt(env.get("PORT"));
    int workerPort = Integer.parseInt(env.get("WORKER_PORT"));
    bot.awaitHttp("http://127.0.0.1:" + workerPort + "/health/ready", 200, Duration.ofSeconds(60));
    desk = DeskHarness.external(telegram, edgePort, workerPort);
    maxEdge = WebhookDeliverer.max(edgePort, MaxDeliveryTest.MAX_SECRET);
    // the database as a read-only migration source would see it: what the bot stored, read alongside it
    storage = StorageFactory.plain(vertx, StorageConfig.fromEnv(Map.of("DATABASE_URL", PgDatabases.url(database)),
        dir.resolve("reader")), "postgresql", true);
    storage.start().await();
  }

  @AfterEach
  void stop() throws Exception {
    if (storage != null) {
      storage.close().await();
    }
    if (bot != null) {
      bot.close();
    }
    max.stop().await();
    telegram.stop().await();
    PgDatabases.drop(database);
  }

  private MaxChat maxUser(long dialog, long userId) {
    return new MaxChat(max, maxEdge, desk.tester(), dialog, userId, "en");
  }

  /** Runs /new in a MAX dialog through every step, the phone typed, and confirms; returns the request number. */
  private String fileOnMax(MaxChat user, String title) {
    user.send("/new");
    assertTrue(user.lastText().contains("Step 1 of 8"), user.lastText());
    user.send(title);
    user.send("The lock of the front door is jammed and the key does not turn");
    user.send("5 Park Lane");
    user.send("3");
    assertTrue(user.lastText().contains("Step 5 of 8. Choose the category."), user.lastText());
    user.press("new:cat:other");
    assertTrue(user.texts().contains("Category: Other"), "the answered question shows the choice: " + user.texts());
    assertTrue(MaxChat.payloads(user.messageContaining("Category: Other")).isEmpty(), "and loses its buttons on MAX");
    user.press("new:pri:urgent");

    String phone = user.lastText();
    assertTrue(phone.contains("Step 7 of 8. Type a phone number to reach you"), "MAX has no share button: " + phone);
    user.send("12345");
    assertTrue(user.lastText().startsWith("That is not a phone number I can use"), user.lastText());
    user.send("+998 90 123-45-67");
    assertTrue(user.texts().contains("Phone: +998901234567"), user.texts().toString());
    assertTrue(user.lastText().contains("Step 8 of 8"), user.lastText());
    assertEquals(List.of("new:name"), MaxChat.payloads(user.lastMessage()), "the MAX profile's name is offered");
    user.press("new:name");
    assertTrue(user.lastText().startsWith("Please check your request:"), user.lastText());
    user.press("new:ok:1");
    String created = user.lastText();
    assertTrue(created.startsWith("Request ") && created.contains(" created"), created);
    Matcher m = NUMBER.matcher(created);
    assertTrue(m.find(), created);
    return m.group(1);
  }

  @Test
  void aMaxUserFilesARequestThatATelegramAdminMovesAlongAndHearsOfItOnMax() throws Exception {
    TestChat alice = desk.user(TELEGRAM_ADMIN, "Alice", "Admin", "en");
    alice.send("/start");
    assertTrue(alice.lastMessage().text().contains("/assign <number>"), "a Telegram admin: " + alice.lastMessage().text());

    MaxChat maria = maxUser(MAX_REQUESTER_DIALOG, MAX_REQUESTER);
    maria.start();
    assertTrue(maria.lastText().startsWith("Hello, Max" + MAX_REQUESTER + "!"), maria.lastText());
    assertFalse(maria.lastText().contains("/assign"), "no admin help for a requester");
    String number = fileOnMax(maria, "Broken door lock");

    // stored with its MAX requester, field by field
    ServiceRequest r = new DeskStorage(storage).requests().find(number).await().orElseThrow();
    assertEquals(new UserRef("max", MAX_REQUESTER), r.requester());
    assertEquals("Broken door lock", r.title());
    assertEquals("+998901234567", r.phone());
    assertEquals(maria.name(), r.contactName());
    assertEquals("urgent", r.priority());
    assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM requests WHERE requester_platform = 'max' AND requester_id = " + MAX_REQUESTER));

    // the Telegram admin was told, with a card that names the requester's platform
    BotMessage news = alice.messageContaining("New request " + number + " from " + maria.name());
    assertTrue(news.text().contains("🙋 Requester: " + maria.name() + " (MAX)"), news.text());

    // the admin finds it, opens its card and takes it into work with the card's button
    alice.send("/find door lock");
    assertTrue(alice.lastMessage().text().startsWith("Found 1 for \"door lock\""), alice.lastMessage().text());
    alice.pressData("rq:" + number);
    BotMessage card = alice.lastMessage();
    assertTrue(card.text().startsWith("Request " + number + " · New"), card.text());
    alice.pressData("st:" + number + ":new:in_progress");
    assertTrue(alice.messageContaining("Request " + number + " · In progress").buttonData().contains("st:" + number + ":in_progress:done"));

    // the requester hears of it on MAX, by user_id, in the dialog
    JsonObject notice = maria.messageContaining("the status changed from \"New\" to \"In progress\"");
    assertTrue(MaxChat.text(notice).startsWith("Request " + number + " \"Broken door lock\""), MaxChat.text(notice));
    assertTrue(max.calls("POST /messages").stream().anyMatch(c -> String.valueOf(MAX_REQUESTER).equals(c.query().getString("user_id"))
        && !c.query().containsKey("chat_id") && c.body().getString("text").contains("\"In progress\"")),
        "sent to the MAX user by user_id");
    // and nothing meant for the MAX user went to Telegram, though Telegram has a chat with the same id
    assertTrue(telegram.allCalls().stream().noneMatch(c -> String.valueOf(MAX_REQUESTER).equals(String.valueOf(c.params().getValue("chat_id")))),
        "nothing to Telegram chat " + MAX_REQUESTER);
    assertTrue(telegram.allCalls().stream().noneMatch(c -> String.valueOf(c.params().getValue("text")).contains("\"In progress\" (")),
        "the status notification went to MAX only");

    // the requester answers the notification with MAX's reply: a comment, which the admin's card shows by name
    maria.replyTo(notice, "Thank you, I am home after six");
    assertEquals("Comment added to request " + number + ".", maria.lastText());
    List<Comment> comments = new DeskStorage(storage).comments().list(number).await();
    assertEquals(1, comments.size());
    assertEquals(new UserRef("max", MAX_REQUESTER), comments.get(0).author());
    alice.send("/status " + number);
    assertTrue(alice.lastMessage().text().contains("— " + maria.name() + ": Thank you, I am home after six"), alice.lastMessage().text());

    // the admin's status change and comment on the card reach the MAX user too
    alice.replyTo(alice.lastMessage(), "The locksmith comes at seven");
    maria.messageContaining("a new comment from Alice Admin:\nThe locksmith comes at seven");
    System.out.println("[MAX transcript]\n" + String.join("\n---\n", maria.texts()));
  }

  @Test
  void theLongestValuesOnMaxStayWithinMaxsLimitsAndTheCardIsReadInPages() throws Exception {
    String face = "😀"; // one code point, two UTF-16 units
    TestChat alice = desk.user(TELEGRAM_ADMIN, "Alice", "Admin", "en");
    alice.send("/start");
    MaxChat maria = maxUser(MAX_REQUESTER_DIALOG, MAX_REQUESTER);
    maria.start();
    maria.send("/new");
    maria.send(face.repeat(100));
    maria.send(face.repeat(2000)); // the longest description: 2,000 code points, 4,000 UTF-16 units
    maria.send("🏠".repeat(200));
    maria.send("3");
    maria.press("new:cat:other");
    maria.press("new:pri:urgent");
    maria.send("+998901234567");
    maria.press("new:name");
    assertTrue(maria.lastText().startsWith("Please check your request:"), maria.lastText());
    maria.press("new:ok:1");
    Matcher m = NUMBER.matcher(maria.lastText());
    assertTrue(m.find(), maria.lastText());
    String number = m.group(1);

    // the Telegram admin comments five times with as much as a Telegram message carries
    alice.send("/status " + number);
    BotMessage card = alice.lastMessage();
    for (int i = 1; i <= 5; i++) {
      alice.replyTo(card, i + face.repeat(2000));
    }
    telegram.await(() -> maria.messages().stream().filter(x -> MaxChat.text(x).contains("a new comment")).count() >= 5,
        Duration.ofSeconds(30), () -> "every comment reaches the requester on MAX: " + maria.texts());

    // on MAX the card turns its pages in place
    maria.send("/status " + number);
    String first = maria.lastText();
    assertTrue(first.startsWith("Request " + number + " · New · page 1 of "), first);
    int pages = Integer.parseInt(first.lines().findFirst().orElseThrow().replaceAll(".* of (\\d+)$", "$1"));
    assertTrue(pages >= 3, "pages: " + pages);
    for (int p = 1; p < pages; p++) {
      maria.press("cp:" + number + ":" + p);
      assertTrue(maria.lastText().startsWith("Request " + number + " · New · page " + (p + 1) + " of " + pages), maria.lastText());
    }

    for (FakeMaxApi.RecordedCall call : max.allCalls()) {
      // a 429 is the fake's two messages a second per chat, which the client waits out and sends again
      assertTrue(call.ok() || call.status() == 429, call.route() + " refused: " + call.response());
      JsonObject body = call.body() == null ? new JsonObject() : call.body();
      for (Object text : new Object[] {body.getValue("text"), body.getValue("notification"),
          body.getValue("message") instanceof JsonObject message ? message.getValue("text") : null}) {
        if (text instanceof String s) {
          assertTrue(s.codePointCount(0, s.length()) <= 4000, call.route() + " with " + s.length() + " units");
          assertFalse(Pattern.compile("[\\uD800-\\uDFFF]").matcher(s).find(), "no half of an emoji (a pair is one code point)");
        }
      }
    }
    assertTrue(telegram.allCalls().stream().allMatch(FakeTelegramApi.RecordedCall::ok), "Telegram refused nothing");
  }

  @Test
  void aMaxAdminSeesAdminFeaturesOnMaxAndATelegramRequesterHearsOfTheirChangesOnTelegram() throws Exception {
    MaxChat boss = maxUser(MAX_ADMIN_DIALOG, MAX_ADMIN);
    boss.start();
    assertTrue(boss.lastText().contains("Admins: /assign <number> picks an executor"), "admin help on MAX: " + boss.lastText());

    // a request from Telegram: the MAX admin is told on MAX, with the card's status and Assign buttons
    TestChat ivan = desk.user(702, "Ivan", "Petrov", "en");
    ivan.send("/new");
    for (String answer : List.of("Leaking kitchen tap", "The tap drips all night long", "12 Main Street", "4")) {
      ivan.send(answer);
    }
    ivan.pressData("new:cat:plumbing");
    ivan.pressData("new:pri:normal");
    assertTrue(ivan.lastMessage().replyMarkup().getJsonArray("keyboard").getJsonArray(0).getJsonObject(0).getBoolean("request_contact"),
        "Telegram keeps its share-contact button");
    ivan.shareContact("998901112233");
    ivan.pressData("new:name");
    ivan.pressData("new:ok:1");
    Matcher m = NUMBER.matcher(ivan.lastMessage().text());
    assertTrue(m.find(), ivan.lastMessage().text());
    String number = m.group(1);
    assertEquals(UserRef.telegram(702), new DeskStorage(storage).requests().find(number).await().orElseThrow().requester());

    JsonObject news = boss.messageContaining("New request " + number + " from Ivan Petrov");
    assertTrue(MaxChat.text(news).contains("🙋 Requester: Ivan Petrov (Telegram)"), MaxChat.text(news));
    assertEquals(List.of("st:" + number + ":new:in_progress", "st:" + number + ":new:cancelled", "an:" + number), MaxChat.payloads(news));

    // /find sees every request for an admin
    boss.send("/find tap");
    assertTrue(boss.lastText().startsWith("Found 1 for \"tap\""), boss.lastText());

    // a status change from the MAX card edits it there and reaches the Telegram requester on Telegram
    boss.press("st:" + number + ":new:in_progress");
    JsonObject edited = boss.messageContaining("Request " + number + " · In progress");
    assertEquals(List.of("st:" + number + ":in_progress:done", "st:" + number + ":in_progress:cancelled", "an:" + number),
        MaxChat.payloads(edited), "the card on MAX was edited in place with its new buttons");
    assertTrue(max.answers().stream().anyMatch(a -> ("Request " + number + ": In progress").equals(a.notification())));
    assertTrue(ivan.lastMessage().text().startsWith("Request " + number + " \"Leaking kitchen tap\": the status changed from \"New\" to \"In progress\" (Max"
        + MAX_ADMIN + " User)"), ivan.lastMessage().text());

    // the MAX admin assigns a MAX user (the picker lists MAX's users) who hears of it on MAX
    boss.press("an:" + number);
    assertTrue(boss.lastText().startsWith("Choose the executor for request " + number), boss.lastText());
    assertTrue(MaxChat.payloads(boss.lastMessage()).contains("ax:" + number + ":" + MAX_ADMIN), MaxChat.payloads(boss.lastMessage()).toString());
    boss.press("ax:" + number + ":" + MAX_ADMIN);
    assertTrue(boss.texts().contains("Max" + MAX_ADMIN + " User is now the executor of request " + number + "."), boss.texts().toString());
    ServiceRequest assigned = new DeskStorage(storage).requests().find(number).await().orElseThrow();
    assertEquals(new UserRef("max", MAX_ADMIN), assigned.executor());
    boss.send("/my");
    assertEquals("You have no requests yet. Send /new to file one.", boss.lastText());
    boss.press("my:a:0");
    assertTrue(boss.lastText().startsWith("Requests assigned to you (1)"), boss.lastText());
    assertTrue(telegram.allCalls().stream().noneMatch(c -> String.valueOf(MAX_ADMIN).equals(String.valueOf(c.params().getValue("chat_id")))),
        "nothing for the MAX admin went to Telegram");
  }
}
