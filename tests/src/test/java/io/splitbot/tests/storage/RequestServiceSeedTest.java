package io.splitbot.tests.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.TestChat;
import io.splitbot.tests.api.ApiClient;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.Poll;
import io.splitbot.tests.support.SeedEnv;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Seed 000 with its own {@code .env} blocks: worker A, the request service (PostgreSQL), writes every request to
 * the monolith at MONOLITH_API_URL, here a second splitbot worker B (JSON store), and rolls back to it with
 * MIGRATION_MODE=monolith_only; bot service C keeps its requests in the request service at REQUEST_SERVICE_URL,
 * and locally while that is down (FALLBACK_TO_MONOLITH=true).
 */
@ExtendWith(VertxExtension.class)
class RequestServiceSeedTest {
  /** The seed's one internal token, filled in for its placeholder. */
  private static final String TOKEN = "seed000-internal-token-4f9a1c";
  private static final long ADMIN = 777;
  private static final Duration START = Duration.ofSeconds(90);
  private static final Duration REPAIR = Duration.ofSeconds(60);

  private String database;

  @AfterEach
  void drop() throws Exception {
    if (database != null) {
      PgDatabases.drop(database);
    }
  }

  /** The monolith: a desk worker with its own Telegram fake and JSON store, the same internal token. */
  private static Map<String, String> monolithEnv(FakeTelegramApi fake, Path dir) {
    Map<String, String> env = DeskHarness.env(fake, dir);
    env.put("INTERNAL_API_TOKEN", TOKEN);
    env.put("ADMIN_USER_IDS", String.valueOf(ADMIN));
    return env;
  }

  private static String workerUrl(Map<String, String> env) {
    return "http://127.0.0.1:" + env.get("WORKER_PORT");
  }

  private static JvmProcess start(String name, Map<String, String> env, Path dir) throws Exception {
    JvmProcess p = JvmProcess.start(name, JvmProcess.workerJar(), env, dir);
    p.awaitHttp(workerUrl(env) + "/api/v1/internal/health", 200, START);
    return p;
  }

  private static ApiClient api(Map<String, String> env) {
    return new ApiClient(Integer.parseInt(env.get("WORKER_PORT"))).withToken(TOKEN);
  }

  /** The request as B's API shows it, or null while B does not have it (or is down). */
  private static JsonObject onMonolith(ApiClient b, String number) {
    try {
      ApiClient.Answer a = b.get("/api/v1/bot/requests/" + number);
      return a.status() == 200 ? a.json().getJsonObject("request") : null;
    } catch (AssertionError down) {
      return null;
    }
  }

  private static String create(ApiClient a, String title) {
    ApiClient.Answer created = a.post("/api/v1/bot/requests/create", ApiClient.legacySample().put("title", title));
    assertEquals(201, created.status(), created.toString());
    return created.json().getString("request_number");
  }

  /** The fields a copy must keep, as the API shows them. */
  private static JsonObject essentials(JsonObject request) {
    JsonObject out = new JsonObject();
    for (String f : List.of("request_number", "title", "description", "address", "apartment", "category", "priority",
        "status", "phone", "contact_name", "user_id", "executor_id", "created_at", "updated_at", "comments", "status_history")) {
      out.put(f, request.getValue(f));
    }
    return out;
  }

  @Test
  void theRequestServiceWritesEveryRequestToTheMonolithAndRollsBackToIt(Vertx vertx) throws Exception {
    FakeTelegramApi fakeA = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    FakeTelegramApi fakeB = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fakeA.start().await();
    fakeB.start().await();
    Path dirA = TestEnv.tempDir("seed000-service");
    Path dirB = TestEnv.tempDir("seed000-monolith");
    database = PgDatabases.create("seed000_service");

    Map<String, String> envB = monolithEnv(fakeB, dirB);
    Map<String, String> envA = DeskHarness.env(fakeA, dirA);
    envA.putAll(SeedEnv.read("000-request-service.env",
        Map.of("MONOLITH_API_URL", workerUrl(envB), "INTERNAL_API_TOKEN", TOKEN)));
    envA.put("DATABASE_URL", PgDatabases.url(database));
    envA.put("ADMIN_USER_IDS", String.valueOf(ADMIN));
    envA.put("DUAL_REPAIR_INTERVAL", "500ms");
    ApiClient a = api(envA);
    ApiClient b = api(envB);

    JvmProcess monolith = start("monolith", envB, dirB);
    try {
      String first;
      String second;
      try (JvmProcess service = start("request-service", envA, dirA)) {
        assertTrue(service.output().contains("mode=dual, primary=postgresql, secondary=remote"), service.output());
        // BOT_SERVICE_URL is not needed (the bot runs in this worker): accepted, and named in the one warning
        assertTrue(service.output().lines().anyMatch(l -> l.contains("seed settings splitbot does not need, ignored")
            && l.contains("BOT_SERVICE_URL") && !l.contains("MONOLITH_API_URL")), service.output());

        // a new request, a status change with a comment: each on the monolith, the same
        first = create(a, "Течёт кран");
        ApiClient.Answer status = a.put("/api/v1/bot/requests/" + first + "/status",
            new JsonObject().put("status", "в работе").put("comment", "Взял в работу").put("user_id", "555"));
        assertEquals(200, status.status(), status.toString());
        ApiClient.Answer comment = a.post("/api/v1/bot/requests/" + first + "/comments",
            new JsonObject().put("text", "Буду завтра").put("user_id", "555"));
        assertEquals(201, comment.status(), comment.toString());
        String commentId = comment.json().getString("comment_id");

        JsonObject here = a.get("/api/v1/bot/requests/" + first).json().getJsonObject("request");
        JsonObject there = onMonolith(b, first);
        assertEquals(essentials(here), essentials(there), "the monolith has the same request");
        assertEquals("in_progress", there.getString("status"));
        assertEquals(2, there.getJsonArray("comments").size(), there.encode());
        assertTrue(there.getJsonArray("comments").stream().anyMatch(c -> ((JsonObject) c).getString("id").equals(commentId)),
            "the comment keeps its id: " + there.encode());

        ApiClient.Answer valid = a.post("/api/v1/bot/migration/validate", new JsonObject().put("request_number", first));
        assertEquals(200, valid.status(), valid.toString());
        assertEquals(true, valid.json().getBoolean("in_sync"), valid.toString());

        // the admin heard of the new request once, from the request service; the monolith told nobody
        fakeA.awaitCalls("sendMessage", 1, Duration.ofSeconds(10));
        assertEquals(0, fakeB.calls("sendMessage").size(), "a replicated write notifies nobody: " + fakeB.calls("sendMessage"));

        // the monolith down: the request service still takes requests, and the monolith gets them once it is back
        monolith.terminate(Duration.ofSeconds(20));
        second = create(a, "Нет света");
        assertEquals(200, a.get("/api/v1/bot/requests/" + second).status());
        assertEquals(null, onMonolith(b, second));
        monolith = start("monolith-back", envB, dirB);
        String n = second;
        JsonObject expected = essentials(a.get("/api/v1/bot/requests/" + second).json().getJsonObject("request"));
        // the repair copies the request, then its history: wait for the whole of it
        Poll.until(() -> onMonolith(b, n) != null && expected.equals(essentials(onMonolith(b, n))), REPAIR,
            () -> "the monolith never got all of " + n + ": " + onMonolith(b, n) + "\n" + service.output());
        ApiClient.Answer repaired = a.post("/api/v1/bot/migration/validate", new JsonObject().put("request_number", second));
        assertEquals(true, repaired.json().getBoolean("in_sync"), repaired.toString());
        // and the operator's CLI compares the whole of both sides, the seed's .env as it is
        MigrateCliTest.Run check = MigrateCliTest.migrate(envA, "validate", "--from", "postgresql", "--to", "remote");
        assertEquals(0, check.code(), check.out() + check.err());
        assertTrue(check.out().contains("requests"), check.out());
        assertFalse(service.output().contains(TOKEN) || monolith.output().contains(TOKEN), "the token is never logged");
      }

      // the seed's emergency rollback: the monolith alone; the request service's database is left as it was
      long before = PgDatabases.count(database, "SELECT count(*) FROM requests");
      assertEquals(2, before);
      Map<String, String> rollback = new HashMap<>(envA);
      rollback.put("MIGRATION_MODE", "monolith_only");
      try (JvmProcess service = start("request-service-rollback", rollback, dirA)) {
        assertTrue(service.output().contains("mode=secondary_only"), service.output());
        String third = create(a, "Сломан замок");
        assertEquals("Сломан замок", onMonolith(b, third).getString("title"));
        assertEquals("Сломан замок", a.get("/api/v1/bot/requests/" + third).json().getJsonObject("request").getString("title"),
            "reads come from the monolith");
        ApiClient.Answer status = a.put("/api/v1/bot/requests/" + first + "/status", new JsonObject().put("status", "done"));
        assertEquals(200, status.status(), status.toString());
        assertEquals("done", onMonolith(b, first).getString("status"));
        assertEquals(before, PgDatabases.count(database, "SELECT count(*) FROM requests"));
        assertEquals(0, PgDatabases.count(database, "SELECT count(*) FROM requests WHERE number = '" + third + "'"));
        assertEquals(1, PgDatabases.count(database, "SELECT count(*) FROM requests WHERE number = '" + first
            + "' AND status = 'in_progress'"), "the request service's own copy is untouched");
      }
    } finally {
      monolith.close();
    }
  }

  @Test
  void theBotServiceKeepsItsRequestsInTheRequestServiceAndLocallyWhileItIsDown(Vertx vertx) throws Exception {
    FakeTelegramApi fakeB = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    FakeTelegramApi fakeC = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fakeB.start().await();
    fakeC.start().await();
    Path dirB = TestEnv.tempDir("seed000-requests");
    Path dirC = TestEnv.tempDir("seed000-bot");
    Map<String, String> envB = monolithEnv(fakeB, dirB);
    Map<String, String> envC = DeskHarness.env(fakeC, dirC);
    envC.putAll(SeedEnv.read("000-bot-service.env",
        Map.of("REQUEST_SERVICE_URL", workerUrl(envB), "REQUEST_SERVICE_TOKEN", TOKEN)));
    envC.put("INTERNAL_API_TOKEN", TOKEN);
    envC.put("DUAL_REPAIR_INTERVAL", "500ms");
    ApiClient b = api(envB);
    ApiClient c = api(envC);

    JvmProcess requests = start("request-service", envB, dirB);
    try (JvmProcess bot = start("bot-service", envC, dirC)) {
      assertTrue(bot.output().contains("mode=dual, primary=remote, secondary=json, fallback=true"), bot.output());
      // a user files a request through the bot's /new conversation: it lives in the request service
      String first = fileThroughTheBot(DeskHarness.external(fakeC, Integer.parseInt(envC.get("PORT")),
          Integer.parseInt(envC.get("WORKER_PORT"))).user(601, "Анна", "Смирнова", "ru"));
      JsonObject there = onMonolith(b, first);
      assertEquals("Не работает розетка", there.getString("title"));
      assertEquals("ул. Садовая, д. 5", there.getString("address"));
      assertEquals(essentials(c.get("/api/v1/bot/requests/" + first).json().getJsonObject("request")),
          essentials(there), "the request lives in the request service");

      // the request service down: the bot keeps taking requests, and the service gets them once it is back
      requests.terminate(Duration.ofSeconds(20));
      String second = create(c, "Нет света");
      assertEquals("Нет света", c.get("/api/v1/bot/requests/" + second).json().getJsonObject("request").getString("title"));
      assertTrue(bot.output().contains("fallback write"), bot.output());
      JsonObject expected = essentials(c.get("/api/v1/bot/requests/" + second).json().getJsonObject("request"));
      requests = start("request-service-back", envB, dirB);
      // until the repair has copied the request and its history, the bot still shows all of it (from its own store)
      assertEquals(expected, essentials(c.get("/api/v1/bot/requests/" + second).json().getJsonObject("request")));
      Poll.until(() -> onMonolith(b, second) != null && expected.equals(essentials(onMonolith(b, second))), REPAIR,
          () -> "the request service never got all of " + expected + ": " + onMonolith(b, second) + "\n" + bot.output());
      assertEquals(expected, essentials(c.get("/api/v1/bot/requests/" + second).json().getJsonObject("request")));
      assertEquals(0, fakeB.calls("sendMessage").size(), "the request service notified nobody");
      assertFalse(bot.output().contains(TOKEN), "the token is never logged");
    } finally {
      requests.close();
    }
  }

  /** The /new conversation from the first step to "Заявка … создана"; the request's number. */
  private static String fileThroughTheBot(TestChat anna) {
    anna.send("/new");
    anna.send("Не работает розетка");
    anna.send("Розетка в коридоре искрит и не работает");
    anna.send("ул. Садовая, д. 5");
    anna.send("17");
    anna.pressData("new:cat:electrical");
    anna.pressData("new:pri:emergency");
    anna.send("+998 90 765 43 21");
    anna.pressData("new:name");
    anna.pressData("new:ok:1");
    String created = anna.lastMessage().text();
    assertTrue(created.startsWith("Заявка ") && created.contains(" создана"), created);
    return created.substring("Заявка ".length(), created.indexOf(" создана"));
  }
}
