package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.BotMessage;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Languages (ru and en bundles chosen by language_code, BOT_DEFAULT_LANGUAGE otherwise; localised status names,
 * stored codes) and the read side: /my and /find with their pages and buttons, /status, and a request's card.
 */
@ExtendWith(VertxExtension.class)
class LanguagesAndListsTest {

  private static DeskHarness start(Vertx vertx, String defaultLanguage) {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = DeskHarness.env(fake, TestEnv.tempDir("desk-lang"));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    env.put("ADMIN_USER_IDS", "900");
    if (defaultLanguage != null) {
      env.put("BOT_DEFAULT_LANGUAGE", defaultLanguage);
    }
    return DeskHarness.inProcess(vertx, fake, env);
  }

  @Test
  void eachUserReadsTheirOwnLanguageAndOthersTheDefault(Vertx vertx) {
    DeskHarness desk = start(vertx, "ru");
    TestChat ru = desk.user(801, "Мария", null, "ru");
    TestChat en = desk.user(802, "John", null, "en-GB");
    TestChat de = desk.user(803, "Hans", null, "de");
    TestChat none = desk.user(804, "Anon", null, null);

    ru.send("/start");
    assertTrue(ru.lastMessage().text().startsWith("Здравствуйте, Мария! Я бот службы заявок"), ru.lastMessage().text());
    en.send("/start");
    assertTrue(en.lastMessage().text().startsWith("Hello, John! I am the service desk bot"), en.lastMessage().text());
    de.send("/start");
    assertTrue(de.lastMessage().text().startsWith("Здравствуйте, Hans!"), "no German bundle: BOT_DEFAULT_LANGUAGE=ru: " + de.lastMessage().text());
    none.send("/help");
    assertTrue(none.lastMessage().text().startsWith("Команды:"), none.lastMessage().text());

    ru.send("/new");
    assertTrue(ru.lastMessage().text().contains("Шаг 1 из 8. В чём проблема"), ru.lastMessage().text());
    ru.send("ок");
    assertTrue(ru.lastMessage().text().startsWith("Название — от 3 до 100 символов."), ru.lastMessage().text());
    en.send("/new");
    assertTrue(en.lastMessage().text().contains("Step 1 of 8. What is the problem"), en.lastMessage().text());
    en.send("/cancel");
    assertEquals("Cancelled. Nothing was saved. Send /new to start again.", en.lastMessage().text());
    en.send("/echo привет, world");
    assertEquals("привет, world", en.lastMessage().text(), "/echo answers with its argument in any language");

    // status names are localised on the card; the stored value is the code
    ApiClient api = new ApiClient(desk.workerPort());
    String number = api.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("user_id", 802)).json().getString("request_number");
    api.put("/api/v1/bot/requests/" + number + "/status", new JsonObject().put("status", "in_progress"));
    en.send("/status " + number);
    assertTrue(en.lastMessage().text().startsWith("Request " + number + " · In progress"), en.lastMessage().text());
    assertTrue(en.lastMessage().text().contains("🏷 Plumbing · Normal"), en.lastMessage().text());
    assertEquals("in_progress", new DeskStorage(desk.storage()).requests().find(number).await().orElseThrow().status());
    TestChat admin = desk.user(900, "Админ", null, "ru");
    admin.send("/status " + number);
    assertTrue(admin.lastMessage().text().startsWith("Заявка " + number + " · В работе"), admin.lastMessage().text());
    assertTrue(admin.lastMessage().text().contains("🏷 Сантехника · Обычный"), admin.lastMessage().text());
    assertEquals(List.of("✅ Выполнена", "✖️ Отменить заявку", "👤 Назначить"), admin.lastMessage().buttonTexts());
  }

  @Test
  void myAndFindArePagedWithAButtonPerRequest(Vertx vertx) {
    DeskHarness desk = start(vertx, null);
    ApiClient api = new ApiClient(desk.workerPort());
    TestChat kate = desk.user(811, "Kate", "Brown", "en");
    TestChat admin = desk.user(900, "Alice", null, "en");
    kate.send("/my");
    assertEquals("You have no requests yet. Send /new to file one.", kate.lastMessage().text());

    for (int i = 1; i <= 7; i++) {
      api.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("user_id", 811).put("title", (i % 2 == 0 ? "Tap " : "Lamp ") + i));
    }
    api.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("user_id", 812).put("title", "Tap of someone else"));

    kate.send("/my");
    BotMessage list = kate.lastMessage();
    assertTrue(list.text().startsWith("Your requests (7), page 1 of 2:"), list.text());
    assertEquals(6, list.buttonData().size(), "five requests and Next: " + list.buttonData());
    assertTrue(list.buttonData().get(0).startsWith("rq:") && list.buttonData().get(0).endsWith("-007"), "newest first: " + list.buttonData());
    assertEquals("my:r:1", list.buttonData().get(5));
    kate.pressData("my:r:1");
    BotMessage page2 = kate.lastMessage();
    assertEquals(list.messageId(), page2.messageId(), "the same message turns the page");
    assertTrue(page2.text().startsWith("Your requests (7), page 2 of 2:"), page2.text());
    assertEquals(3, page2.buttonData().size(), "two requests and Back: " + page2.buttonData());
    String first = page2.buttonData().get(1);
    kate.pressData(first);
    assertTrue(kate.lastMessage().text().startsWith("Request " + first.substring(3) + " · New"), kate.lastMessage().text());
    assertTrue(kate.lastMessage().text().endsWith("Reply to this message to add a comment."), kate.lastMessage().text());

    kate.send("/find tap");
    BotMessage found = kate.lastMessage();
    assertTrue(found.text().startsWith("Found 3 for \"tap\", page 1 of 1:"), "only her own requests: " + found.text());
    admin.send("/find tap");
    assertTrue(admin.lastMessage().text().startsWith("Found 4 for \"tap\""), "an admin searches everything: " + admin.lastMessage().text());
    admin.send("/find a");
    assertTrue(admin.lastMessage().text().startsWith("Found 8 for \"a\", page 1 of 2:"), admin.lastMessage().text());
    admin.pressData("fd:1");
    assertTrue(admin.lastMessage().text().startsWith("Found 8 for \"a\", page 2 of 2:"), admin.lastMessage().text());
    kate.send("/find nothing-like-this");
    assertEquals("Nothing found for \"nothing-like-this\".", kate.lastMessage().text());
    kate.send("/status");
    assertEquals("Send the request number, e.g. /status 250927-001.", kate.lastMessage().text());
    kate.send("/status 999999-999");
    assertEquals("Request 999999-999 not found.", kate.lastMessage().text());
    kate.send("/frobnicate");
    assertEquals("I don't know that one. Send /help to see what I can do.", kate.lastMessage().text());
  }
}
