package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.BotMessage;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.RedisServerProcess;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.storage.Storage;
import io.splitbot.desk.storage.StatusChange;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Status buttons, roles and notifications, end to end on PostgreSQL with Redis: only the executor and admins move
 * a request, only along the life cycle; stale and forged buttons change nothing; the requester hears of every status
 * change and comment, the executor of the assignment and of the requester's comments, the admin of the new request,
 * each in their own language.
 */
@ExtendWith(VertxExtension.class)
class StatusAndNotificationsTest {
  private String database;
  private RedisServerProcess redis;

  @AfterEach
  void cleanUp() throws Exception {
    if (redis != null) {
      redis.close();
    }
    if (database != null) {
      PgDatabases.drop(database);
    }
  }

  /** Files a request through the /new conversation; returns its number. */
  static String fileRequest(TestChat user, String title) {
    user.send("/new");
    user.send(title);
    user.send("Вода течёт из-под раковины уже второй день");
    user.send("ул. Примерная, д. 1");
    user.send("12");
    user.pressData("new:cat:plumbing");
    user.pressData("new:pri:normal");
    user.shareContact("+998901234567");
    user.pressData("new:name");
    user.pressData(user.messages().stream()
        .flatMap(s -> s.buttonData().stream()).filter(b -> b.startsWith("new:ok:")).reduce((a, b) -> b).orElseThrow());
    String created = user.lastMessage().text();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{6}-\\d{3,})").matcher(created);
    assertTrue(m.find(), created);
    return m.group(1);
  }

  @Test
  void onlyExecutorsAndAdminsMoveRequestsAlongTheLifeCycleAndTheRightPeopleHearOfIt(Vertx vertx) throws Exception {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Path dir = TestEnv.tempDir("desk-status");
    database = PgDatabases.create("desk_status");
    redis = new RedisServerProcess(dir).start();
    Map<String, String> env = DeskHarness.env(fake, dir.resolve("data"));
    env.put("DATABASE_URL", PgDatabases.url(database));
    env.put("REDIS_URL", redis.url());
    env.put("ADMIN_USER_IDS", "900");
    DeskHarness desk = DeskHarness.inProcess(vertx, fake, env);
    assertEquals("postgresql", desk.storage().backend());

    TestChat ivan = desk.user(701, "Иван", "Петров", "ru");
    TestChat alice = desk.user(900, "Alice", "Admin", "en");
    TestChat bob = desk.user(555, "Bob", "Fixer", "en");
    TestChat eve = desk.user(777, "Eve", null, "en");
    for (TestChat u : List.of(alice, bob, eve)) {
      u.send("/start");
    }
    String number = fileRequest(ivan, "Течёт кран");
    String card = "Request " + number;

    // the admin hears of the new request, with its card and buttons
    BotMessage news = alice.messageContaining("New request " + number + " from Иван Петров.");
    assertTrue(news.buttonData().containsAll(List.of("st:" + number + ":new:in_progress", "st:" + number + ":new:cancelled", "an:" + number)),
        news.buttonData().toString());

    // a stranger sees nothing and changes nothing, even with a forged button
    eve.send("/status " + number);
    assertEquals("You have no access to request " + number + ".", eve.lastMessage().text());
    eve.pressAnyway(new BotMessage(1, card, null, false), "st:" + number + ":new:in_progress");
    assertEquals("Only the request's executor or an admin can change its status.", lastAnswer(fake));
    // the requester sees the card, without status buttons, and cannot press one either
    ivan.send("/status " + number);
    assertTrue(ivan.lastMessage().text().startsWith("Заявка " + number + " · Новая"), ivan.lastMessage().text());
    assertTrue(ivan.lastMessage().buttonData().stream().noneMatch(b -> b.startsWith("st:")), ivan.lastMessage().buttonData().toString());
    ivan.pressAnyway(new BotMessage(1, card, null, false), "st:" + number + ":new:in_progress");
    assertEquals("Менять статус может только исполнитель заявки или администратор.", lastAnswer(fake));
    assertEquals("new", status(desk.storage(), number));

    // non-admins cannot assign
    bob.send("/assign " + number);
    assertEquals("Only admins can assign executors.", bob.lastMessage().text());
    // the admin assigns Bob from the picker
    alice.pressData("an:" + number);
    assertTrue(alice.lastMessage().text().startsWith("Choose the executor for request " + number), alice.lastMessage().text());
    alice.pressData("ax:" + number + ":555");
    assertEquals("Bob Fixer is now the executor of request " + number + ".", alice.lastMessage().text());
    BotMessage assigned = bob.messageContaining("You are now the executor of request " + number);
    assertTrue(assigned.text().contains(card + " · New"), assigned.text());
    assertTrue(assigned.buttonData().contains("st:" + number + ":new:in_progress"), assigned.buttonData().toString());

    // the executor takes it into work from the card: the card changes, the requester hears of it in Russian
    bob.pressData("st:" + number + ":new:in_progress");
    assertEquals("Request " + number + ": In progress", lastAnswer(fake));
    BotMessage bobsCard = bob.messageContaining(card + " · In progress");
    assertEquals(List.of("st:" + number + ":in_progress:done", "st:" + number + ":in_progress:cancelled"), bobsCard.buttonData());
    assertTrue(ivan.lastMessage().text().contains("Заявка " + number + " «Течёт кран»: статус изменён с «Новая» на «В работе» (Bob Fixer)."),
        ivan.lastMessage().text());

    // a stale button (the card showed "new") and a forged illegal one change nothing
    bob.pressAnyway(assigned, "st:" + number + ":new:in_progress");
    assertEquals("The request has changed meanwhile: this is how it is now.", lastAnswer(fake));
    bob.pressAnyway(bobsCard, "st:" + number + ":in_progress:new");
    assertEquals("A request cannot go from \"In progress\" to \"New\".", lastAnswer(fake));
    assertEquals("in_progress", status(desk.storage(), number));

    // comments by replying to a card or a notification; the other side hears of them
    ivan.replyTo(ivan.messageContaining("Заявка " + number + " · Новая"), "Когда придёте?");
    assertEquals("Комментарий к заявке " + number + " добавлен.", ivan.lastMessage().text());
    assertTrue(bob.lastMessage().text().startsWith("Request " + number + " \"Течёт кран\": a new comment from Иван Петров:\nКогда придёте?"),
        bob.lastMessage().text());
    bob.replyTo(bob.messageContaining("a new comment from Иван Петров"), "At five");
    assertEquals("Comment added to request " + number + ".", bob.lastMessage().text());
    assertTrue(ivan.lastMessage().text().contains("новый комментарий от Bob Fixer:\nAt five"), ivan.lastMessage().text());
    eve.replyTo(eve.messageContaining("You have no access"), "Me too"); // a reply to a bot message naming the request
    assertEquals("You can comment only on your own requests and the ones assigned to you.", eve.lastMessage().text());

    bob.pressData("st:" + number + ":in_progress:done");
    assertTrue(bob.messageContaining(card + " · Done").buttonData().isEmpty(), "a done request has no status buttons");
    assertTrue(ivan.lastMessage().text().contains("с «В работе» на «Выполнена»"), ivan.lastMessage().text());

    Storage storage = desk.storage();
    List<StatusChange> history = new DeskStorage(storage).history().statusHistory(number).await();
    assertEquals(List.of("new", "in_progress", "done"), history.stream().map(StatusChange::toStatus).toList());
    assertEquals(List.of(701L, 555L, 555L), history.stream().map(StatusChange::changedBy).toList());
    assertEquals(2, new DeskStorage(storage).comments().list(number).await().size());
    assertEquals(1, new DeskStorage(storage).history().assignments(number).await().size());

    // who heard what: notifications went to the right chats, once each
    assertEquals(2, count(fake, 701, "статус изменён"));
    assertEquals(1, count(fake, 701, "новый комментарий"));
    assertEquals(0, count(fake, 555, "the status changed"), "the executor changed it himself");
    assertEquals(1, count(fake, 555, "You are now the executor"));
    assertEquals(1, count(fake, 555, "a new comment"));
    assertEquals(1, count(fake, 900, "New request"));
    assertEquals(0, count(fake, 777, "Request " + number + " \""), "the stranger hears nothing");

    // profiles were captured into the users table and the Redis cache
    assertEquals("webhook", storage.users().find("telegram", 555).await().orElseThrow().profileSource());
    RedisAPI r = RedisAPI.api(Redis.createClient(vertx, redis.url()));
    assertEquals("Bob", r.hget("profile:user:555", "first_name").await().toString());
    long ttl = r.ttl("profile:user:555").await().toLong();
    assertTrue(ttl > 719 * 3600 && ttl <= 720 * 3600, "PROFILE_TTL 720h by default, got " + ttl);
    assertFalse(fake.calls("sendMessage").isEmpty());
  }

  static String status(Storage storage, String number) {
    return new DeskStorage(storage).requests().find(number).await().orElseThrow().status();
  }

  static String lastAnswer(FakeTelegramApi fake) {
    List<FakeTelegramApi.RecordedCall> answers = fake.calls("answerCallbackQuery");
    return answers.get(answers.size() - 1).params().getString("text");
  }

  static long count(FakeTelegramApi fake, long chat, String fragment) {
    return fake.calls("sendMessage").stream()
        .filter(c -> String.valueOf(chat).equals(String.valueOf(c.params().getValue("chat_id"))))
        .filter(c -> c.params().getString("text").contains(fragment)).count();
  }
}
