package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.await;
import static io.splitbot.tests.storage.StorageContractTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.UserRef;
import io.splitbot.tests.fakes.FakeAirtableApi;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageFactory;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.airtable.AirtableException;
import io.splitbot.desk.storage.Comment;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.worker.storage.model.UserProfile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Airtable's documented rules, enforced by the fake and followed by the airtable backend. */
class AirtableRulesTest {
  static Vertx vertx;
  static WebClient http;
  FakeAirtableApi api;
  Storage storage;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void startFake() {
    api = FakeAirtableApi.start(vertx, AirtableEnv.TABLES).await();
  }

  @AfterEach
  void stop() {
    if (storage != null) {
      await(storage.close());
    }
    api.close();
  }

  private Storage open(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(AirtableEnv.env(api));
    env.putAll(overrides);
    storage = StorageFactory.create(vertx, StorageConfig.fromEnv(env, Path.of("unused")));
    await(storage.start());
    return storage;
  }

  private HttpResponse<Buffer> raw(HttpMethod method, String table, JsonObject body, String token, Map<String, String> query) {
    var req = http.requestAbs(method, api.url() + "/v0/" + FakeAirtableApi.BASE + "/" + table);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    query.forEach(req::addQueryParam);
    return (body == null ? req.send() : req.sendJsonObject(body)).await();
  }

  private static JsonObject records(int n) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) {
      a.add(new JsonObject().put("fields", new JsonObject().put("user_id", i)));
    }
    return new JsonObject().put("records", a);
  }

  @Test
  void theFakeEnforcesTokenRecordLimitPageSizeAndRate() throws Exception {
    api.rateLimit(1000, 100);
    assertEquals(401, raw(HttpMethod.GET, "Users", null, null, Map.of()).statusCode());
    assertEquals(401, raw(HttpMethod.GET, "Users", null, "wrong", Map.of()).statusCode());
    assertEquals(422, raw(HttpMethod.POST, "Users", records(11), FakeAirtableApi.TOKEN, Map.of()).statusCode());
    assertEquals(200, raw(HttpMethod.POST, "Users", records(10), FakeAirtableApi.TOKEN, Map.of()).statusCode());
    assertEquals(422, raw(HttpMethod.GET, "Users", null, FakeAirtableApi.TOKEN, Map.of("pageSize", "101")).statusCode());
    HttpResponse<Buffer> notFound = raw(HttpMethod.GET, "Nope", null, FakeAirtableApi.TOKEN, Map.of());
    assertEquals(404, notFound.statusCode());
    assertEquals(new JsonObject().put("error", "NOT_FOUND"), notFound.bodyAsJsonObject());
    // upsert with a merge field matching two records is refused, like Airtable does
    raw(HttpMethod.POST, "Users", new JsonObject().put("records", new JsonArray()
        .add(new JsonObject().put("fields", new JsonObject().put("user_id", 3)))), FakeAirtableApi.TOKEN, Map.of());
    JsonObject upsert = new JsonObject().put("performUpsert", new JsonObject().put("fieldsToMergeOn", new JsonArray().add("user_id")))
        .put("records", new JsonArray().add(new JsonObject().put("fields", new JsonObject().put("user_id", 3).put("username", "x"))));
    assertEquals(422, raw(HttpMethod.PATCH, "Users", upsert, FakeAirtableApi.TOKEN, Map.of()).statusCode());

    api.rateLimit(5, 300);
    Thread.sleep(1100);
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      burst.add(http.requestAbs(HttpMethod.GET, api.url() + "/v0/" + FakeAirtableApi.BASE + "/Users")
          .bearerTokenAuthentication(FakeAirtableApi.TOKEN).send());
    }
    long tooMany = burst.stream().map(f -> f.await()).filter(r -> r.statusCode() == 429).count();
    assertEquals(2, tooMany, "5 per second pass, the rest get 429");
  }

  @Test
  void usersFromBeforePlatformsAreTelegramsAndAreNotDuplicatedByTheNextWrite() {
    api.rateLimit(1000, 100);
    // a base an older worker filled: no platform field on its 12 Users records
    for (int first = 1; first <= 12; first += 6) {
      JsonArray old = new JsonArray();
      for (int id = first; id < first + 6; id++) {
        old.add(new JsonObject().put("fields", new JsonObject().put("user_id", id).put("first_name", "Old " + id)
            .put("profile_source", "webhook").put("profile_last_updated", "2025-09-01T00:00:00.000Z")
            .put("created_at", "2025-09-01T00:00:00.000Z")));
      }
      assertEquals(200, raw(HttpMethod.POST, "Users", new JsonObject().put("records", old), FakeAirtableApi.TOKEN, Map.of())
          .statusCode());
    }
    open(Map.of("AIRTABLE_RATE_LIMIT", "200"));
    assertTrue(api.records("Users").stream().allMatch(r -> "telegram".equals(r.getString("platform"))),
        () -> "start fills the platform in: " + api.records("Users"));
    assertEquals("Old 3", await(storage.users().find("telegram", 3)).orElseThrow().firstName());

    await(storage.users().upsert(UserProfile.fromWebhook("telegram", 3, "New", null, null, "ru")));
    await(storage.users().upsert(UserProfile.fromWebhook("max", 3, "Max", null, null, "ru")));
    assertEquals(13, api.count("Users"), "Telegram user 3 was updated in place; MAX user 3 is one more record");
    assertEquals("New", await(storage.users().find("telegram", 3)).orElseThrow().firstName());
    assertEquals("Max", await(storage.users().find("max", 3)).orElseThrow().firstName());
    assertEquals(12, await(storage.users().list("telegram", 0, 100)).total());
    // a read-only source that was never started by a new worker still finds such a record by its key
    raw(HttpMethod.POST, "Users", new JsonObject().put("records", new JsonArray().add(new JsonObject().put("fields",
        new JsonObject().put("user_id", 99).put("profile_source", "manual").put("profile_last_updated", "2025-09-01T00:00:00.000Z")
            .put("created_at", "2025-09-01T00:00:00.000Z")))), FakeAirtableApi.TOKEN, Map.of());
    assertEquals("telegram", await(storage.users().find("telegram", 99)).orElseThrow().platform());
  }

  @Test
  void requestsAndCommentsFromBeforePlatformsAreTelegrams() {
    api.rateLimit(1000, 100);
    // records an older worker wrote: no requester_platform, executor_platform or author_platform
    assertEquals(200, raw(HttpMethod.POST, "Requests", new JsonObject().put("records", new JsonArray().add(new JsonObject()
        .put("fields", new JsonObject().put("number", "250927-001").put("requester_id", 7).put("title", "Old tap")
            .put("category", "plumbing").put("priority", "normal").put("status", "new").put("executor_id", 8)
            .put("created_at", "2025-09-27T08:00:00.000Z").put("updated_at", "2025-09-27T08:00:00.000Z")))),
        FakeAirtableApi.TOKEN, Map.of()).statusCode());
    assertEquals(200, raw(HttpMethod.POST, "Comments", new JsonObject().put("records", new JsonArray().add(new JsonObject()
        .put("fields", new JsonObject().put("id", "c-old").put("request_number", "250927-001").put("author_id", 7)
            .put("text", "old").put("created_at", "2025-09-27T08:01:00.000Z")))), FakeAirtableApi.TOKEN, Map.of()).statusCode());
    // a read-only source is left as it is, and still read right, by key and by query
    Storage readOnly = StorageFactory.plain(vertx, StorageConfig.fromEnv(AirtableEnv.env(api), Path.of("unused")), "airtable", true);
    await(readOnly.start());
    DeskStorage old = new DeskStorage(readOnly);
    assertEquals(UserRef.telegram(7), await(old.requests().find("250927-001")).orElseThrow().requester());
    assertEquals(1, await(old.requests().listByRequester(UserRef.telegram(7), 0, 10)).total(), "an empty platform matches Telegram's");
    assertEquals(1, await(old.requests().listByExecutor(UserRef.telegram(8), 0, 10)).total());
    assertEquals(0, await(old.requests().listByRequester(new UserRef("max", 7), 0, 10)).total());
    assertEquals(UserRef.telegram(7), await(old.comments().list("250927-001")).get(0).author());
    assertTrue(api.records("Requests").get(0).getValue("requester_platform") == null, "a read-only source is not written");
    await(readOnly.close());

    open(Map.of("AIRTABLE_RATE_LIMIT", "200"));
    assertEquals("telegram", api.records("Requests").get(0).getString("requester_platform"), "start fills the platform in");
    assertEquals("telegram", api.records("Comments").get(0).getString("author_platform"));
    assertEquals(1, await(new DeskStorage(storage).requests().listByRequester(UserRef.telegram(7), 0, 10)).total());
  }

  @Test
  void writesGoTenAtATimeAndListsFollowOffsetsWithPagesOfAtMostOneHundred() {
    api.rateLimit(1000, 100);
    open(Map.of("AIRTABLE_RATE_LIMIT", "200"));
    List<UserProfile> users = new ArrayList<>();
    for (long i = 1; i <= 250; i++) {
      users.add(new UserProfile("telegram", i, "User " + i, null, null, "en", "webhook", Instant.parse("2025-09-01T00:00:00Z"), null));
    }
    int writesBefore = api.writes();
    await(storage.records(Kinds.USERS).putAll(users, true));
    assertEquals(25, api.writes() - writesBefore, "250 records in writes of 10");
    assertEquals(10, api.maxRecordsPerWrite());
    assertEquals(250, api.count("Users"));

    int requestsBefore = api.requests();
    assertEquals(250L, await(storage.records(Kinds.USERS).count()));
    assertEquals(3, api.requests() - requestsBefore, "three pages chained by offset");
    assertEquals(100, api.maxPageSize());
    assertEquals(250, await(storage.users().list("telegram", 0, 1000)).total());

    // upserting the same keys again updates in place (fieldsToMergeOn), it creates nothing
    List<UserProfile> renamed = users.stream().map(u -> new UserProfile("telegram", u.userId(), "Renamed", null, null, "ru", "manual",
        Instant.parse("2025-09-02T00:00:00Z"), u.createdAt())).toList();
    await(storage.records(Kinds.USERS).putAll(renamed, true));
    assertEquals(250, api.count("Users"));
    assertEquals("Renamed", await(storage.users().find("telegram", 77)).orElseThrow().firstName());
    assertTrue(api.rejectedStatuses().isEmpty(), () -> "refused: " + api.rejectedStatuses());
  }

  @Test
  void userTextInFormulasIsEscapedBackslashFirstThenQuote() {
    api.rateLimit(1000, 100);
    open(Map.of("AIRTABLE_RATE_LIMIT", "200"));
    String name = "O'Brien \\ test";
    await(new DeskStorage(storage).requests().create(ServiceRequest.builder().number("250927-001").requesterId(1).title("t")
        .contactName(name).build()));
    await(new DeskStorage(storage).comments().add(new Comment(name, "250927-001", 1, "a comment whose id is hostile", null)));

    assertEquals(List.of("250927-001"), await(new DeskStorage(storage).requests().search(name, null, 0, 10)).items().stream()
        .map(ServiceRequest::number).toList());
    assertEquals(1, await(storage.records(DeskKinds.COMMENTS).getAll(List.of(name))).size());

    // what went over the wire, and what the fake's parser read back out of it
    assertTrue(api.formulas().stream().anyMatch(f -> f.contains("{id}='O\\'Brien \\\\ test'")), () -> "formulas: " + api.formulas());
    assertTrue(api.formulas().stream().anyMatch(f -> f.contains("FIND('o\\'brien \\\\ test',LOWER({contact_name}&''))")),
        () -> "formulas: " + api.formulas());
    assertTrue(api.stringLiterals().contains(name), () -> "literals: " + api.stringLiterals());
    assertTrue(api.stringLiterals().contains("o'brien \\ test"));
    assertTrue(api.rejectedStatuses().isEmpty(), () -> "refused: " + api.rejectedStatuses());
  }

  @Test
  void theLimiterKeepsEveryCallWithinFivePerSecondPerBase() {
    api.rateLimit(5, 5_000);
    open(Map.of()); // the default: 5 requests/s
    long t0 = System.nanoTime();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      calls.add(storage.users().find("telegram", i));
    }
    await(Future.join(calls));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, api.rateLimited(), "no 429 at all");
    calls.forEach(f -> assertTrue(f.succeeded()));
    assertTrue(ms >= 2000, "16 calls after the start-up checks cannot take less than 2 s at 5/s, took " + ms + " ms");
  }

  @Test
  void a429PausesEveryCallToTheBaseThenRetries() {
    api.rateLimit(1000, 100);
    open(Map.of("AIRTABLE_RATE_LIMIT", "100", "AIRTABLE_RETRY_AFTER_429", "1100ms"));
    api.rateLimit(2, 500); // now the client is much faster than the fake allows
    long t0 = System.nanoTime();
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(storage.users().find("telegram", i));
    }
    await(Future.join(calls));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    calls.forEach(f -> assertTrue(f.succeeded(), () -> "failed: " + f.cause()));
    assertTrue(api.rateLimited() > 0, "the fake answered 429");
    assertTrue(ms >= 1100, "waited the configured time after the 429, took " + ms + " ms");
  }

  @Test
  void errorsAreClearAndNeverCarryTheToken() {
    api.rateLimit(1000, 100);
    Map<String, String> env = new HashMap<>(AirtableEnv.env(api));
    env.put("AIRTABLE_TOKEN", "patWRONGtoken.secretsecret");
    Storage bad = StorageFactory.create(vertx, StorageConfig.fromEnv(env, Path.of("unused")));
    Throwable e = failure(bad.start());
    assertInstanceOf(AirtableException.class, e);
    assertTrue(e.getMessage().contains("401") && e.getMessage().contains("AUTHENTICATION_REQUIRED")
        && e.getMessage().contains("AIRTABLE_TOKEN"), e.getMessage());
    assertFalse(e.getMessage().contains("secretsecret"), e.getMessage());

    env = new HashMap<>(AirtableEnv.env(api));
    env.put("AIRTABLE_TABLE_REQUESTS", "Missing table");
    Throwable missing = failure(StorageFactory.create(vertx, StorageConfig.fromEnv(env, Path.of("unused"))).start());
    assertTrue(missing.getMessage().contains("404 NOT_FOUND") && missing.getMessage().contains("'Missing table'"),
        missing.getMessage());

    open(Map.of("AIRTABLE_MAX_RETRIES", "1"));
    api.down(true);
    Throwable down = failure(storage.users().find("telegram", 1));
    assertInstanceOf(StorageUnavailableException.class, down);
    assertTrue(down.getMessage().contains("503"), down.getMessage());
  }
}
