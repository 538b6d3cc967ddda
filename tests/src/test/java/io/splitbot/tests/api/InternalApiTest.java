package io.splitbot.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.desk.storage.ServiceRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The internal REST API, endpoint by endpoint, through real HTTP against the worker with the json store. */
@ExtendWith(VertxExtension.class)
class InternalApiTest {
  static final String BASE = "/api/v1/bot/requests";
  private FakeTelegramApi fake;
  private DeskHarness desk;
  private ApiClient api;
  private String today;


  @BeforeEach
  void start(Vertx vertx) {
    fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = DeskHarness.env(fake, TestEnv.tempDir("desk-api"));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    env.put("ADMIN_USER_IDS", "900");
    desk = DeskHarness.inProcess(vertx, fake, env);
    api = new ApiClient(desk.workerPort());
    today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyMMdd"));
  }

  private String create() {
    ApiClient.Answer a = api.post(BASE + "/create", ApiClient.legacySample());
    assertEquals(201, a.status(), a.toString());
    return a.json().getString("request_number");
  }

  @Test
  void everyRouteButTheDocumentWantsTheBearerToken() {
    String number = create();
    List<String[]> routes = List.of(
        new String[] {"POST", BASE + "/create"}, new String[] {"GET", BASE + "/search?q=x"},
        new String[] {"GET", BASE + "/" + number}, new String[] {"PUT", BASE + "/" + number + "/update"},
        new String[] {"POST", BASE + "/" + number + "/comments"}, new String[] {"PUT", BASE + "/" + number + "/status"},
        new String[] {"POST", BASE + "/" + number + "/assign"}, new String[] {"POST", "/api/v1/bot/migration/sync"},
        new String[] {"POST", "/api/v1/bot/migration/validate"});
    for (String[] route : routes) {
      for (ApiClient client : List.of(api.withToken(null), api.withToken("wrong-token-of-some-length"),
          api.withToken(ApiClient.TOKEN + "x"), api.withToken("Basic " + ApiClient.TOKEN), api.withToken("Bearer "))) {
        ApiClient.Answer a = client.send(route[0], route[1], route[0].equals("GET") ? null : ApiClient.legacySample());
        assertEquals(401, a.status(), route[0] + " " + route[1] + ": " + a);
        assertFalse(a.json().getBoolean("success"));
        assertFalse(a.body().contains(ApiClient.TOKEN), "the token is never echoed");
      }
    }
    assertEquals(200, api.withToken(null).get("/api/v1/openapi.yaml").status(), "the contract is public");
    for (ApiClient client : List.of(api.withToken(null), api.withToken("wrong-token-of-some-length"))) {
      ApiClient.Answer bare = client.get("/api/v1/internal/health");
      assertEquals(200, bare.status(), "health is open, as the seed's bare curl wants: " + bare);
      assertEquals(new JsonObject().put("status", "ok"), bare.json(), "without the token, the status alone");
    }
    // nothing was changed by the refused calls
    assertEquals(1, new DeskStorage(desk.storage()).requests().search(null, null, 0, 10).await().total());
  }

  @Test
  void createTakesTheLegacySampleAsItIsAndStoresCodes() {
    ApiClient.Answer a = api.inLanguage("ru").post(BASE + "/create", ApiClient.legacySample());
    assertEquals(201, a.status(), a.toString());
    JsonObject body = a.json();
    String number = today + "-001";
    assertEquals(true, body.getBoolean("success"));
    assertEquals(number, body.getString("request_number"));
    assertEquals("new", body.getString("status"));
    assertEquals("Заявка " + number + " создана", body.getString("message"));
    assertEquals("plumbing", body.getJsonObject("request").getString("category"));
    assertEquals("Сантехника", body.getJsonObject("request").getString("category_name"));

    ServiceRequest r = new DeskStorage(desk.storage()).requests().find(number).await().orElseThrow();
    assertEquals(123456789L, r.requesterId());
    assertEquals("Заявка на ремонт", r.title());
    assertEquals("Описание проблемы", r.description());
    assertEquals("ул. Примерная, д. 1", r.address());
    assertEquals("123", r.apartment());
    assertEquals("plumbing", r.category());
    assertEquals("normal", r.priority());
    assertEquals("+998901234567", r.phone());
    assertEquals("Иван Иванов", r.contactName());
    assertFalse(r.isEmergency());
    assertEquals(0, new BigDecimal("100000").compareTo(r.estimatedCost()));
    assertEquals(Instant.parse("2025-09-28T10:00:00Z"), r.preferredTime(), "a local time is read in BOT_TIME_ZONE (UTC)");
    assertEquals("new", r.status());

    assertEquals(today + "-002", api.post(BASE + "/create", ApiClient.legacySample().put("category", "Electrical").put("priority", "URGENT"))
        .json().getString("request_number"));
    ServiceRequest second = new DeskStorage(desk.storage()).requests().find(today + "-002").await().orElseThrow();
    assertEquals("electrical", second.category());
    assertEquals("urgent", second.priority());
    // the admin hears of both
    fake.awaitCalls("sendMessage", 2, Duration.ofSeconds(10));
    assertEquals(2, fake.calls("sendMessage").stream().filter(c -> "900".equals(String.valueOf(c.params().getValue("chat_id")))
        && c.params().getString("text").startsWith("New request " + today)).count());
  }

  @Test
  void invalidBodiesAre422ListingEveryFieldAndMalformedJsonIs400() {
    JsonObject bad = ApiClient.legacySample().put("title", "").put("category", "garden").put("phone", "12-34").put("estimated_cost", "lots")
        .put("preferred_time", "tomorrow").put("user_id", "abc");
    ApiClient.Answer a = api.post(BASE + "/create", bad);
    assertEquals(422, a.status(), a.toString());
    JsonObject body = a.json();
    assertFalse(body.getBoolean("success"));
    assertEquals(new JsonArray(List.of("user_id", "title", "phone", "category", "estimated_cost", "preferred_time")),
        body.getJsonArray("fields"));
    assertTrue(body.getJsonObject("errors").getString("category").contains("plumbing"), body.encode());
    assertTrue(body.getString("message").contains("title"), body.getString("message"));

    ApiClient.Answer missing = api.post(BASE + "/create", new JsonObject());
    assertEquals(422, missing.status());
    assertEquals(new JsonArray(List.of("user_id", "title", "description", "address", "category")), missing.json().getJsonArray("fields"));

    for (String malformed : List.of("{\"title\": ", "[1,2]", "not json", "")) {
      ApiClient.Answer m = api.send("POST", BASE + "/create", malformed.isEmpty() ? null : malformed);
      assertEquals(400, m.status(), "'" + malformed + "': " + m);
      assertEquals("The body is not a JSON object", m.json().getString("message"));
    }
    String number = create();
    assertEquals(400, api.send("PUT", BASE + "/" + number + "/status", "{oops").status());
    assertEquals(0, new DeskStorage(desk.storage()).requests().search(null, null, 0, 10).await().total() - 1, "only the good one was stored");
  }

  @Test
  void getAnswersTheRequestWithCommentsAndHistoryAnd404ForUnknownNumbers() {
    String number = create();
    api.post(BASE + "/" + number + "/comments", new JsonObject().put("text", "Мастер будет завтра").put("user_id", "555"));
    api.put(BASE + "/" + number + "/status", new JsonObject().put("status", "в работе"));
    ApiClient.Answer a = api.get(BASE + "/" + number);
    assertEquals(200, a.status(), a.toString());
    JsonObject request = a.json().getJsonObject("request");
    assertEquals(number, a.json().getString("request_number"));
    assertEquals("in_progress", a.json().getString("status"));
    assertEquals("123456789", request.getString("user_id"));
    assertEquals(1, request.getJsonArray("comments").size());
    assertEquals("555", request.getJsonArray("comments").getJsonObject(0).getString("author_id"));
    assertEquals(2, request.getJsonArray("status_history").size());
    assertEquals("in_progress", request.getJsonArray("status_history").getJsonObject(1).getString("to_status"));

    for (String unknown : List.of(today + "-999", "000000-001", "abc", "250927-01")) {
      ApiClient.Answer nf = api.get(BASE + "/" + unknown);
      assertEquals(404, nf.status(), unknown + ": " + nf);
      assertFalse(nf.json().getBoolean("success"));
    }
    assertEquals("Request " + today + "-999 not found.", api.get(BASE + "/" + today + "-999").json().getString("message"));
  }

  @Test
  void updateChangesOnlyTheGivenFieldsAndTellsTheRequester() {
    TestChat requester = desk.user(123456789, "Иван", "Иванов", "ru");
    requester.send("/start");
    String number = create();
    ApiClient.Answer a = api.put(BASE + "/" + number + "/update", new JsonObject().put("title", "Течёт кран").put("priority", "срочный"));
    assertEquals(200, a.status(), a.toString());
    ServiceRequest r = new DeskStorage(desk.storage()).requests().find(number).await().orElseThrow();
    assertEquals("Течёт кран", r.title());
    assertEquals("urgent", r.priority());
    assertEquals("Описание проблемы", r.description(), "untouched");
    awaitText(123456789, "Заявка " + number + " «Течёт кран» изменена службой заявок");

    assertEquals(404, api.put(BASE + "/" + today + "-404/update", new JsonObject().put("title", "Something")).status());
    ApiClient.Answer empty = api.put(BASE + "/" + number + "/update", new JsonObject());
    assertEquals(422, empty.status());
    ApiClient.Answer wrong = api.put(BASE + "/" + number + "/update", new JsonObject().put("priority", "whenever").put("apartment", "#$%"));
    assertEquals(422, wrong.status());
    assertEquals(new JsonArray(List.of("apartment", "priority")), wrong.json().getJsonArray("fields"));
  }

  @Test
  void commentsAreAddedAndTheRequesterIsTold() {
    TestChat requester = desk.user(123456789, "Ivan", "Ivanov", "en");
    requester.send("/start");
    String number = create();
    ApiClient.Answer a = api.post(BASE + "/" + number + "/comments", new JsonObject().put("comment", "The plumber comes at ten"));
    assertEquals(201, a.status(), a.toString());
    assertTrue(a.json().getString("comment_id") != null);
    assertEquals(1, new DeskStorage(desk.storage()).comments().list(number).await().size());
    awaitText(123456789, "a new comment from the service desk:\nThe plumber comes at ten");

    assertEquals(404, api.post(BASE + "/" + today + "-404/comments", new JsonObject().put("text", "hello")).status());
    ApiClient.Answer empty = api.post(BASE + "/" + number + "/comments", new JsonObject().put("text", "  "));
    assertEquals(422, empty.status());
    assertEquals(new JsonArray(List.of("text")), empty.json().getJsonArray("fields"));
  }

  @Test
  void statusFollowsTheLifeCycleAnd409RefusesTheRest() {
    TestChat requester = desk.user(123456789, "Иван", null, "ru");
    requester.send("/start");
    String number = create();
    String path = BASE + "/" + number + "/status";

    ApiClient.Answer toWork = api.put(path, new JsonObject().put("status", "в работе").put("user_id", 555));
    assertEquals(200, toWork.status(), toWork.toString());
    assertEquals("in_progress", toWork.json().getString("status"));
    assertEquals("new", toWork.json().getString("previous_status"));
    assertEquals(true, toWork.json().getBoolean("changed"));
    awaitText(123456789, "статус изменён с «Новая» на «В работе»");

    ApiClient.Answer back = api.put(path, new JsonObject().put("status", "new"));
    assertEquals(409, back.status(), back.toString());
    assertEquals("A request cannot go from \"In progress\" to \"New\".", back.json().getString("message"));

    assertEquals(200, api.put(path, new JsonObject().put("status", "Done")).status());
    ApiClient.Answer again = api.put(path, new JsonObject().put("status", "done"));
    assertEquals(200, again.status(), "PUT is idempotent: " + again);
    assertEquals(false, again.json().getBoolean("changed"));
    assertEquals(409, api.put(path, new JsonObject().put("status", "cancelled")).status());
    assertEquals(409, api.put(path, new JsonObject().put("status", "отменена")).status());

    ApiClient.Answer bogus = api.put(path, new JsonObject().put("status", "finished-ish"));
    assertEquals(422, bogus.status());
    assertEquals(new JsonArray(List.of("status")), bogus.json().getJsonArray("fields"));
    assertEquals(404, api.put(BASE + "/" + today + "-404/status", new JsonObject().put("status", "done")).status());

    List<String> history = new DeskStorage(desk.storage()).history().statusHistory(number).await().stream().map(h -> h.toStatus()).toList();
    assertEquals(List.of("new", "in_progress", "done"), history, "every change, and only those, in the history");
    assertEquals(555, new DeskStorage(desk.storage()).history().statusHistory(number).await().get(1).changedBy());
  }

  @Test
  void assignSetsTheExecutorAndTellsThem() {
    TestChat executor = desk.user(555, "Bob", "Fixer", "en");
    executor.send("/start");
    String number = create();
    ApiClient.Answer a = api.post(BASE + "/" + number + "/assign", new JsonObject().put("executor_id", "555").put("user_id", 900));
    assertEquals(200, a.status(), a.toString());
    assertEquals("Request " + number + " assigned to Bob Fixer", a.json().getString("message"));
    assertEquals(555L, new DeskStorage(desk.storage()).requests().find(number).await().orElseThrow().executorId());
    awaitText(555, "You are now the executor of request " + number);
    assertEquals(1, new DeskStorage(desk.storage()).history().assignments(number).await().size());
    assertEquals(900, new DeskStorage(desk.storage()).history().assignments(number).await().get(0).assignedBy());

    ApiClient.Answer same = api.post(BASE + "/" + number + "/assign", new JsonObject().put("executor_id", 555));
    assertEquals(false, same.json().getBoolean("changed"));
    assertEquals(1, new DeskStorage(desk.storage()).history().assignments(number).await().size(), "assigning again records nothing");

    assertEquals(422, api.post(BASE + "/" + number + "/assign", new JsonObject()).status());
    assertEquals(422, api.post(BASE + "/" + number + "/assign", new JsonObject().put("executor_id", "-3")).status());
    assertEquals(404, api.post(BASE + "/" + today + "-404/assign", new JsonObject().put("executor_id", 555)).status());
  }

  @Test
  void searchPagesNewestFirstAndFiltersByTextAndStatus() {
    for (int i = 1; i <= 23; i++) {
      JsonObject body = ApiClient.legacySample().put("title", (i % 2 == 0 ? "Кран " : "Розетка ") + i);
      assertEquals(201, api.post(BASE + "/create", body).status());
    }
    api.put(BASE + "/" + today + "-003/status", new JsonObject().put("status", "in_progress"));

    ApiClient.Answer first = api.get(BASE + "/search?size=10");
    assertEquals(200, first.status(), first.toString());
    JsonObject p1 = first.json();
    assertEquals(23, p1.getLong("total"));
    assertEquals(3, p1.getInteger("pages"));
    assertEquals(1, p1.getInteger("page"));
    assertEquals(10, p1.getJsonArray("items").size());
    assertEquals(today + "-023", p1.getJsonArray("items").getJsonObject(0).getString("request_number"), "newest first");
    JsonObject p3 = api.get(BASE + "/search?size=10&page=3").json();
    assertEquals(3, p3.getJsonArray("items").size());
    assertEquals(today + "-001", p3.getJsonArray("items").getJsonObject(2).getString("request_number"));
    assertEquals(0, api.get(BASE + "/search?size=10&page=4").json().getJsonArray("items").size());

    Set<String> seen = new HashSet<>();
    for (int page = 1; page <= 3; page++) {
      api.get(BASE + "/search?size=10&page=" + page).json().getJsonArray("items")
          .forEach(o -> seen.add(((JsonObject) o).getString("request_number")));
    }
    assertEquals(23, seen.size(), "the pages cover every request once");

    JsonObject taps = api.get(BASE + "/search?q=%D0%BA%D1%80%D0%B0%D0%BD&size=100").json(); // q=кран
    assertEquals(11, taps.getLong("total"));
    JsonObject working = api.get(BASE + "/search?status=%D0%B2%20%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D0%B5").json(); // в работе
    assertEquals(1, working.getLong("total"));
    assertEquals(today + "-003", working.getJsonArray("items").getJsonObject(0).getString("request_number"));
    assertEquals(1, api.get(BASE + "/search?q=" + today + "-017").json().getLong("total"), "a number is found too");

    for (String bad : List.of("page=0", "size=0", "size=101", "page=x", "status=lost")) {
      ApiClient.Answer a = api.get(BASE + "/search?" + bad);
      assertEquals(422, a.status(), bad + ": " + a);
      assertEquals(bad.split("=")[0], a.json().getJsonArray("fields").getString(0));
    }
  }

  @Test
  void migrationNeedsDualStorageAndHealthSaysOk() {
    String number = create();
    ApiClient.Answer sync = api.post("/api/v1/bot/migration/sync", new JsonObject().put("request_number", number));
    assertEquals(409, sync.status(), sync.toString());
    assertEquals("Migration needs STORAGE_BACKEND=dual", sync.json().getString("message"));
    assertEquals(409, api.post("/api/v1/bot/migration/validate", new JsonObject().put("request_number", number)).status());
    assertEquals(422, api.post("/api/v1/bot/migration/validate", new JsonObject().put("request_number", "nope")).status());

    ApiClient.Answer health = api.get("/api/v1/internal/health");
    assertEquals(200, health.status(), health.toString());
    assertEquals("ok", health.json().getString("status"));
    assertEquals("not_configured", health.json().getString("redis"));
    assertEquals(new JsonObject().put("backend", "json").put("ok", true), health.json().getJsonObject("storage"),
        "the backend and whether it answers, never the directory");
  }

  private void awaitText(long chatId, String fragment) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (fake.calls("sendMessage").stream().anyMatch(c -> String.valueOf(chatId).equals(String.valueOf(c.params().getValue("chat_id")))
          && c.params().getString("text").contains(fragment))) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no message to " + chatId + " containing '" + fragment + "'; sent: "
        + fake.calls("sendMessage").stream().map(c -> c.params().getValue("chat_id") + ": " + c.params().getString("text")).toList());
  }
}
