package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.fakes.FakeTelegramApi;
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
    DeskUser ru = desk.user(801, "Мария", null, "ru");
    DeskUser en = desk.user(802, "John", null, "en-GB");
    DeskUser de = desk.user(803, "Hans", null, "de");
    DeskUser none = desk.user(804, "Anon", null, null);

    ru.says("/start");
    assertTrue(ru.lastText().startsWith("Здравствуйте, Мария! Я бот службы заявок"), ru.lastText());
    en.says("/start");
    assertTrue(en.lastText().startsWith("Hello, John! I am the service desk bot"), en.lastText());
    de.says("/start");
    assertTrue(de.lastText().startsWith("Здравствуйте, Hans!"), "no German bundle: BOT_DEFAULT_LANGUAGE=ru: " + de.lastText());
    none.says("/help");
    assertTrue(none.lastText().startsWith("Команды:"), none.lastText());

    ru.says("/new");
    assertTrue(ru.lastText().contains("Шаг 1 из 8. В чём проблема"), ru.lastText());
    ru.says("ок");
    assertTrue(ru.lastText().startsWith("Название — от 3 до 100 символов."), ru.lastText());
    en.says("/new");
    assertTrue(en.lastText().contains("Step 1 of 8. What is the problem"), en.lastText());
    en.says("/cancel");
    assertEquals("Cancelled. Nothing was saved. Send /new to start again.", en.lastText());
    en.says("/echo привет, world");
    assertEquals("привет, world", en.lastText(), "/echo answers with its argument in any language");

    // status names are localised on the card; the stored value is the code
    ApiClient api = new ApiClient(desk.workerPort());
    String number = api.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("user_id", 802)).json().getString("request_number");
    api.put("/api/v1/bot/requests/" + number + "/status", new JsonObject().put("status", "in_progress"));
    en.says("/status " + number);
    assertTrue(en.lastText().startsWith("Request " + number + " · In progress"), en.lastText());
    assertTrue(en.lastText().contains("🏷 Plumbing · Normal"), en.lastText());
    assertEquals("in_progress", new DeskStorage(desk.storage()).requests().find(number).await().orElseThrow().status());
    DeskUser admin = desk.user(900, "Админ", null, "ru");
    admin.says("/status " + number);
    assertTrue(admin.lastText().startsWith("Заявка " + number + " · В работе"), admin.lastText());
    assertTrue(admin.lastText().contains("🏷 Сантехника · Обычный"), admin.lastText());
    assertEquals(List.of("✅ Выполнена", "✖️ Отменить заявку", "👤 Назначить"), admin.last().buttonLabels());
  }

  @Test
  void myAndFindArePagedWithAButtonPerRequest(Vertx vertx) {
    DeskHarness desk = start(vertx, null);
    ApiClient api = new ApiClient(desk.workerPort());
    DeskUser kate = desk.user(811, "Kate", "Brown", "en");
    DeskUser admin = desk.user(900, "Alice", null, "en");
    kate.says("/my");
    assertEquals("You have no requests yet. Send /new to file one.", kate.lastText());

    for (int i = 1; i <= 7; i++) {
      api.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("user_id", 811).put("title", (i % 2 == 0 ? "Tap " : "Lamp ") + i));
    }
    api.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("user_id", 812).put("title", "Tap of someone else"));

    kate.says("/my");
    BotScreen.Shown list = kate.last();
    assertTrue(list.text().startsWith("Your requests (7), page 1 of 2:"), list.text());
    assertEquals(6, list.buttons().size(), "five requests and Next: " + list.buttons());
    assertTrue(list.buttons().get(0).startsWith("rq:") && list.buttons().get(0).endsWith("-007"), "newest first: " + list.buttons());
    assertEquals("my:r:1", list.buttons().get(5));
    kate.presses("my:r:1");
    BotScreen.Shown page2 = kate.last();
    assertEquals(list.messageId(), page2.messageId(), "the same message turns the page");
    assertTrue(page2.text().startsWith("Your requests (7), page 2 of 2:"), page2.text());
    assertEquals(3, page2.buttons().size(), "two requests and Back: " + page2.buttons());
    String first = page2.buttons().get(1);
    kate.presses(first);
    assertTrue(kate.lastText().startsWith("Request " + first.substring(3) + " · New"), kate.lastText());
    assertTrue(kate.lastText().endsWith("Reply to this message to add a comment."), kate.lastText());

    kate.says("/find tap");
    BotScreen.Shown found = kate.last();
    assertTrue(found.text().startsWith("Found 3 for \"tap\", page 1 of 1:"), "only her own requests: " + found.text());
    admin.says("/find tap");
    assertTrue(admin.lastText().startsWith("Found 4 for \"tap\""), "an admin searches everything: " + admin.lastText());
    admin.says("/find a");
    assertTrue(admin.lastText().startsWith("Found 8 for \"a\", page 1 of 2:"), admin.lastText());
    admin.presses("fd:1");
    assertTrue(admin.lastText().startsWith("Found 8 for \"a\", page 2 of 2:"), admin.lastText());
    kate.says("/find nothing-like-this");
    assertEquals("Nothing found for \"nothing-like-this\".", kate.lastText());
    kate.says("/status");
    assertEquals("Send the request number, e.g. /status 250927-001.", kate.lastText());
    kate.says("/status 999999-999");
    assertEquals("Request 999999-999 not found.", kate.lastText());
    kate.says("/frobnicate");
    assertEquals("I don't know that one. Send /help to see what I can do.", kate.lastText());
  }
}
