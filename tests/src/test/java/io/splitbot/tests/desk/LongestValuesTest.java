package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.BotMessage;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.pipeline.WorkerStats;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The longest values the desk takes, typed in the conversation and posted to the internal API, in emoji and Cyrillic
 * (so code points, UTF-16 units and bytes all differ), with many long comments, a title whose first 30 characters end
 * inside an emoji and a /find of 4,090 characters: every message the desk sends stays within Telegram's limits and
 * whole in its code points, the fake (which refuses what Telegram refuses) accepts every call, no update fails or
 * becomes a dead letter, and the long card is read in pages.
 */
@ExtendWith(VertxExtension.class)
class LongestValuesTest {
  private static final String FACE = "😀"; // one code point, two UTF-16 units, four bytes
  private static final int TEXT_LIMIT = 4096;
  private static final int CALLBACK_ANSWER_LIMIT = 200;

  /** {@code codePoints} code points, alternating an emoji and a Cyrillic letter. */
  private static String mixed(int codePoints) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < codePoints; i++) {
      b.append(i % 2 == 0 ? FACE : "ж");
    }
    return b.toString();
  }

  @Test
  void theLongestValuesStayWithinTheLimitsAndTheCardIsReadInPages(Vertx vertx) {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = DeskHarness.env(fake, TestEnv.tempDir("desk-longest"));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    env.put("ADMIN_USER_IDS", "900");
    DeskHarness desk = DeskHarness.inProcess(vertx, fake, env);
    ApiClient api = new ApiClient(desk.workerPort());
    TestChat anna = desk.user(821, "Анна", "Ж" + FACE.repeat(31), "en");
    TestChat admin = desk.user(900, "Алиса", null, "en");
    admin.send("/start");

    // the longest request the conversation takes: a description of 2,000 emoji is 4,000 UTF-16 units
    anna.send("/new");
    anna.send(FACE.repeat(100));
    anna.send(FACE.repeat(2000));
    anna.send("🏠".repeat(200));
    anna.send("квартира12");
    anna.pressData("new:cat:plumbing");
    anna.pressData("new:pri:normal");
    anna.send("+998901234567");
    anna.send(mixed(100));
    BotMessage summary = anna.lastMessage();
    assertTrue(summary.text().startsWith("Please check your request:"), summary.text());
    String confirm = summary.buttonData().stream().filter(d -> d.startsWith("new:ok:")).findFirst().orElseThrow();
    anna.pressData(confirm);
    String typed = ConversationTest.today() + "-001";
    assertTrue(anna.messages().stream().anyMatch(m -> m.text().startsWith("Request " + typed + " created")),
        "the request is created: " + anna.transcript());
    BotMessage announced = admin.lastMessage();
    assertTrue(announced.text().startsWith("New request " + typed), announced.text());
    assertTrue(announced.buttonData().contains("cp:" + typed + ":1"), "the admin's card turns pages: " + announced.buttonData());

    // the longest request the API takes, a title whose first 30 characters end inside an emoji, many long comments
    String title = "ж".repeat(29) + FACE.repeat(71);
    assertTrue(Character.isHighSurrogate(title.charAt(29)), "unit 30 is half an emoji");
    JsonObject body = ApiClient.legacySample().put("user_id", 821).put("title", title)
        .put("description", mixed(2000)).put("address", mixed(200)).put("apartment", "кв12345678")
        .put("contact_name", mixed(100));
    ApiClient.Answer created = api.post("/api/v1/bot/requests/create", body);
    assertEquals(201, created.status(), created.json().encode());
    String number = created.json().getString("request_number");
    int comments = 8;
    for (int i = 1; i <= comments; i++) {
      String text = i + FACE.repeat(2999); // 3,000 code points, 5,999 UTF-16 units
      ApiClient.Answer commented = api.post("/api/v1/bot/requests/" + number + "/comments",
          new JsonObject().put("text", text).put("user_id", "555"));
      assertEquals(201, commented.status(), commented.json().encode());
    }
    desk.fake().await(() -> anna.messages().stream().filter(m -> m.text().contains("a new comment")).count() >= comments,
        java.time.Duration.ofSeconds(30), () -> "every comment is told to the requester: " + anna.transcript());
    BotMessage told = anna.messages().stream().filter(m -> m.text().contains("a new comment")).findFirst().orElseThrow();
    assertTrue(told.text().contains("…"), "a long comment's notice shows its start");
    assertEquals(List.of("rq:" + number), told.buttonData(), "and opens the card for the rest");

    // the card, read page by page
    anna.send("/status " + number);
    BotMessage card = anna.lastMessage();
    assertTrue(card.text().startsWith("Request " + number + " · New · page 1 of "), card.text());
    int pages = Integer.parseInt(card.text().lines().findFirst().orElseThrow().replaceAll(".* of (\\d+)$", "$1"));
    assertTrue(pages >= comments, "a card of " + pages + " pages");
    List<String> read = new ArrayList<>(List.of(card.text()));
    for (int p = 1; p < pages; p++) {
      anna.pressData("cp:" + number + ":" + p);
      BotMessage page = anna.lastMessage();
      assertEquals(card.messageId(), page.messageId(), "the same message turns the page");
      assertTrue(page.text().startsWith("Request " + number + " · New · page " + (p + 1) + " of " + pages), page.text());
      assertTrue(page.text().endsWith("Reply to this message to add a comment."), page.text());
      read.add(page.text());
    }
    assertFalse(anna.lastMessage().buttonData().contains("cp:" + number + ":" + pages), "no Next on the last page");
    // the pages' bodies, without each page's number line and reply hint
    String all = read.stream().map(t -> t.substring(t.indexOf('\n') + 1, t.lastIndexOf("\n\n")))
        .reduce("", String::concat).replaceAll("[\\s…]", "");
    assertTrue(all.contains(title) && all.contains(body.getString("description").replaceAll("\\s", "")),
        "the whole title and description are on the pages");
    for (int i = 1; i <= comments; i++) {
      assertTrue(all.contains(i + FACE.repeat(2999)), "comment " + i + " is on the pages, whole");
    }
    anna.pressData("rq:" + number);
    assertTrue(anna.lastMessage().text().startsWith("Request " + number + " · New · page 1 of " + pages),
        "the notification's button opens the card: " + anna.lastMessage().text());

    // the lists: titles and buttons cut on a code point
    anna.send("/my");
    BotMessage mine = anna.lastMessage();
    assertTrue(mine.text().startsWith("Your requests (2)"), mine.text());
    assertTrue(mine.buttonTexts().stream().anyMatch(t -> t.startsWith(number + " · " + "ж".repeat(29) + FACE)), mine.buttonTexts().toString());
    String query = "я".repeat(4090);
    anna.send("/find " + query);
    String none = anna.lastMessage().text();
    assertTrue(none.startsWith("Nothing found for \"" + "я".repeat(63) + "…\""), none);
    anna.send("/find " + FACE);
    assertTrue(anna.lastMessage().text().startsWith("Found 2 for \"" + FACE + "\""), anna.lastMessage().text());

    // the admin changes the status on a page of the card
    admin.send("/status " + number);
    String start = "st:" + number + ":new:in_progress";
    assertTrue(admin.lastMessage().buttonData().contains(start), admin.lastMessage().buttonData().toString());
    admin.pressData("cp:" + number + ":1");
    admin.pressData(start);
    assertTrue(admin.lastMessage().text().startsWith("Request " + number + " · In progress · page 1 of"), admin.lastMessage().text());

    // what the fake saw: every call accepted, every text within its limit and whole
    for (FakeTelegramApi.RecordedCall call : fake.allCalls()) {
      assertEquals(200, call.status(), call.method() + " refused: " + call.params().encode());
      String text = call.params().getString("text");
      if (text != null) {
        int limit = call.method().equals("answerCallbackQuery") ? CALLBACK_ANSWER_LIMIT : TEXT_LIMIT;
        assertTrue(text.length() <= limit, call.method() + " with " + text.length() + " UTF-16 units");
        assertFalse(hasLoneSurrogate(text), call.method() + " with half an emoji: " + text);
      }
    }
    WorkerStats stats = desk.app().worker().stats();
    assertEquals(0, stats.failedAttempts.get(), "no attempt failed");
    assertEquals(0, stats.deadLettered.get(), "no dead letter");
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
