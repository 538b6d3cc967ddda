package io.splitbot.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.JvmProcess;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on create, against two bot-worker.jar processes sharing PostgreSQL: concurrent first
 * calls make one request, a retry gets the first answer on any worker and after a restart, another body under the
 * key is refused; and a NUL character in any field is a 422 there, not PostgreSQL's error.
 */
class IdempotencyKeyTest {
  static final String CREATE = "/api/v1/bot/requests/create";
  private Path dir;
  private String database;
  private final List<JvmProcess> workers = new ArrayList<>();

  @BeforeEach
  void database() throws Exception {
    dir = TestEnv.tempDir("desk-idempotency");
    database = PgDatabases.create("desk_idem");
  }

  @AfterEach
  void stop() throws Exception {
    for (JvmProcess w : workers) {
      w.close();
    }
    PgDatabases.drop(database);
  }

  private ApiClient start(String name, Map<String, String> env) throws Exception {
    JvmProcess w = JvmProcess.start(name, JvmProcess.workerJar(), env, dir);
    workers.add(w);
    w.awaitHttp("http://127.0.0.1:" + env.get("WORKER_PORT") + "/api/v1/openapi.yaml", 200, Duration.ofSeconds(60));
    return new ApiClient(Integer.parseInt(env.get("WORKER_PORT")));
  }

  private Map<String, String> env(String name) {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", String.valueOf(TestEnv.freePort()));
    env.put("WORKER_PORT", String.valueOf(TestEnv.freePort()));
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("DATA_DIR", dir.resolve(name).toString());
    env.put("DATABASE_URL", PgDatabases.url(database));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    return env;
  }

  private long requests() throws Exception {
    return PgDatabases.count(database, "SELECT count(*) FROM requests");
  }

  private static Map<String, String> key(String key) {
    return Map.of("Idempotency-Key", key);
  }

  @Test
  void aKeyMakesOneRequestAcrossWorkersRetriesAndARestart() throws Exception {
    Map<String, String> env1 = env("w1");
    List<ApiClient> api = new ArrayList<>(List.of(start("worker-1", env1), start("worker-2", env("w2"))));
    JsonObject body = ApiClient.legacySample().put("title", "Door lock jammed");

    // ten first calls at once, half on each worker: one request; the others wait their turn (409) or replay it
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<ApiClient.Answer> answers = new ArrayList<>();
    try {
      List<Future<ApiClient.Answer>> calls = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ApiClient worker = api.get(i % 2);
        calls.add(pool.submit((Callable<ApiClient.Answer>) () -> worker.send("POST", CREATE, body, key("order-7f3a"))));
      }
      for (Future<ApiClient.Answer> f : calls) {
        answers.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, requests(), "one request for one key: " + answers);
    JsonObject first = null;
    for (ApiClient.Answer a : answers) {
      assertTrue(a.status() == 201 || a.status() == 409, a.toString());
      if (a.status() == 409) {
        assertFalse(a.json().getBoolean("success"));
      } else if (first == null) {
        first = a.json();
      } else {
        assertEquals(first, a.json(), "every 201 is the same answer");
      }
    }
    if (first == null) { // all ten met a claim in flight: the retry brings the answer
      first = api.get(0).send("POST", CREATE, body, key("order-7f3a")).json();
    }
    String number = first.getString("request_number");

    // a retry, on either worker, gets the first answer and makes nothing
    for (ApiClient worker : api) {
      ApiClient.Answer retry = worker.send("POST", CREATE, body, key("order-7f3a"));
      assertEquals(201, retry.status(), retry.toString());
      assertEquals(first, retry.json());
    }
    // the same key with another body is refused, naming the header
    ApiClient.Answer other = api.get(1).send("POST", CREATE, body.copy().put("title", "Another thing"), key("order-7f3a"));
    assertEquals(422, other.status(), other.toString());
    assertEquals(new JsonArray(List.of("Idempotency-Key")), other.json().getJsonArray("fields"));
    assertEquals(1, requests());

    // worker 1 restarts: the record is in PostgreSQL, so the retry still gets the first answer
    workers.remove(0).close();
    api.set(0, start("worker-1b", env1));
    ApiClient.Answer afterRestart = api.get(0).send("POST", CREATE, body, key("order-7f3a"));
    assertEquals(201, afterRestart.status(), afterRestart.toString());
    assertEquals(first, afterRestart.json());
    assertEquals(1, requests());

    // another key is another request; no key, another again
    String second = api.get(0).send("POST", CREATE, body, key("order-7f3b")).json().getString("request_number");
    assertNotEquals(number, second);
    assertEquals(201, api.get(1).post(CREATE, body).status());
    assertEquals(3, requests());
    assertEquals(2, PgDatabases.count(database, "SELECT count(*) FROM kv WHERE store = 'desk.idempotency'"));

    // once a key's 24 hours are over, it is a new key
    setField(sha256("order-7f3b"), "expires_at", "0");
    ApiClient.Answer expired = api.get(1).send("POST", CREATE, body, key("order-7f3b"));
    assertEquals(201, expired.status(), expired.toString());
    assertNotEquals(second, expired.json().getString("request_number"));
    assertEquals(4, requests());
  }

  @Test
  void aClaimLeftByADeadWorkerIsTakenOverWithItsNumber() throws Exception {
    ApiClient api = start("worker-1", env("w1"));
    JsonObject body = ApiClient.legacySample().put("title", "Heating is off");
    String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyMMdd"));
    // what a worker killed between reserving its number and storing the request leaves behind
    JsonObject claim = new JsonObject().put("fingerprint", sha256(body.encode())).put("state", "pending")
        .put("expires_at", System.currentTimeMillis() + 3_600_000L).put("claimed_at", System.currentTimeMillis() - 60_000L)
        .put("number", day + "-900").put("created_at", System.currentTimeMillis() - 60_000L);
    try (Connection c = PgDatabases.connect(database);
         PreparedStatement s = c.prepareStatement("INSERT INTO kv (store, key, value, updated_at) VALUES ('desk.idempotency', ?, ?::jsonb, now())")) {
      s.setString(1, sha256("order-crash"));
      s.setString(2, claim.encode());
      s.executeUpdate();
    }
    ApiClient.Answer a = api.send("POST", CREATE, body, key("order-crash"));
    assertEquals(201, a.status(), a.toString());
    assertEquals(day + "-900", a.json().getString("request_number"), "the claim's number, so a request stored before the crash is found, not made twice");
    assertEquals(a.json(), api.send("POST", CREATE, body, key("order-crash")).json());
    assertEquals(1, requests());
  }

  @Test
  void aNulCharacterIs422OnPostgresqlInEveryField() throws Exception {
    ApiClient api = start("worker-1", env("w1"));
    for (String field : List.of("title", "description", "address", "apartment", "phone", "contact_name", "category", "priority")) {
      JsonObject body = ApiClient.legacySample();
      body.put(field, body.getString(field) + "\u0000x");
      ApiClient.Answer a = api.post(CREATE, body);
      assertEquals(422, a.status(), field + ": " + a);
      assertEquals(new JsonArray(List.of(field)), a.json().getJsonArray("fields"), field);
    }
    String number = api.post(CREATE, ApiClient.legacySample()).json().getString("request_number");
    ApiClient.Answer comment = api.post("/api/v1/bot/requests/" + number + "/comments", new JsonObject().put("text", "multi\nline \u0000"));
    assertEquals(422, comment.status(), comment.toString());
    ApiClient.Answer update = api.put("/api/v1/bot/requests/" + number + "/update", new JsonObject().put("description", "fine\u0000 then not"));
    assertEquals(422, update.status(), update.toString());
    ApiClient.Answer search = api.get("/api/v1/bot/requests/search?q=kran%00x");
    assertEquals(422, search.status(), search.toString());
    assertEquals(new JsonArray(List.of("q")), search.json().getJsonArray("fields"));
    assertEquals(1, requests());
  }

  private void setField(String storedKey, String field, String json) throws Exception {
    try (Connection c = PgDatabases.connect(database);
         PreparedStatement s = c.prepareStatement(
             "UPDATE kv SET value = jsonb_set(value, ?::text[], ?::jsonb) WHERE store = 'desk.idempotency' AND key = ?")) {
      s.setString(1, "{" + field + "}");
      s.setString(2, json);
      s.setString(3, storedKey);
      assertEquals(1, s.executeUpdate());
    }
  }

  private static String sha256(String s) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
