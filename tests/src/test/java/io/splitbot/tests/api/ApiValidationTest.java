package io.splitbot.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The internal API refuses at its edge what it must not store: each malformed field a 422 naming it, an oversized
 * body 413 and a non-JSON body 415, all as JSON and none a 5xx; and takes the boundary values it documents.
 */
@ExtendWith(VertxExtension.class)
class ApiValidationTest {
  static final String CREATE = "/api/v1/bot/requests/create";
  private DeskHarness desk;
  private ApiClient api;

  @BeforeEach
  void start(Vertx vertx) {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = DeskHarness.env(fake, TestEnv.tempDir("desk-api-validation"));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    desk = DeskHarness.inProcess(vertx, fake, env);
    api = new ApiClient(desk.workerPort());
  }

  /** The legacy sample with one field's JSON replaced by {@code json}, as text, so any JSON can be sent. */
  static String sampleWith(String field, String json) {
    JsonObject sample = ApiClient.legacySample();
    sample.remove(field);
    String rest = sample.encode();
    return "{\"" + field + "\":" + json + "," + rest.substring(1);
  }

  /** A 422 JSON refusal naming exactly {@code field}. */
  static void assertRefused(ApiClient.Answer a, String field, String what) {
    assertEquals(422, a.status(), what + ": " + a);
    assertTrue(a.contentType().startsWith("application/json"), what + ": " + a.contentType());
    JsonObject body = a.json();
    assertFalse(body.getBoolean("success"), what);
    assertEquals(new JsonArray(List.of(field)), body.getJsonArray("fields"), what + ": " + a);
    assertTrue(body.getJsonObject("errors").containsKey(field), what + ": " + a);
  }

  private long stored() {
    return new DeskStorage(desk.storage()).requests().search(null, null, 0, 10).await().total();
  }

  @Test
  void numbersIdsStringsAndDatesOutsideTheirRulesAre422NamingTheField() {
    Map<String, List<String>> refused = new LinkedHashMap<>();
    refused.put("estimated_cost", List.of("\"1e-25000000\"", "\"1e3\"", "\"-1\"", "-1", "\"1000000000.01\"", "1000000001",
        "\"12.345\"", "12.345", "1e300", "\"NaN\"", "\"Infinity\"", "\"0x10\"", "\" \"", "true", "{\"a\":1}", "[1]"));
    refused.put("user_id", List.of("18446744073709551617", "\"18446744073709551617\"", "9007199254740992", "0", "-5", "\"-5\"",
        "\"12a\"", "\"+123\"", "1.5", "123.0", "\"1e5\"", "true", "{\"a\":1}", "[123]", "\"١٢٣\""));
    refused.put("title", List.of("{\"a\":1}", "[\"a title\"]", "12345", "true", "\"a\\u0000title\"", "\"two\\nlines\"",
        "\"tab\\there\"", "\"bell\\u0007\"", "\"lone \\ud800 surrogate\"", "\"" + "x".repeat(101) + "\""));
    refused.put("description", List.of("\"nul \\u0000 inside a long text\"", "\"escape \\u001b[31m red\"", "{\"text\":\"hello\"}",
        "\"" + "d".repeat(2001) + "\""));
    refused.put("address", List.of("\"Main street\\r\\n5\"", "\"Main \\u0000 street 5\"", "[\"Main street 5\"]"));
    refused.put("apartment", List.of("\"12\\u0000\"", "12"));
    refused.put("phone", List.of("\"+99890\\u00001234567\"", "998901234567"));
    refused.put("contact_name", List.of("\"Ivan\\u0085Ivanov\"", "\"Ivan\\nIvanov\"", "{}"));
    refused.put("category", List.of("{\"a\":1}", "\"plumb\\u0000ing\"", "1"));
    refused.put("priority", List.of("[\"normal\"]", "\"" + "n".repeat(5000) + "\""));
    refused.put("is_emergency", List.of("\"maybe\"", "1", "{}"));
    refused.put("preferred_time", List.of("\"0000-01-01T00:00:00\"", "\"-0001-06-01T10:00:00\"", "\"+10000-01-01T00:00:00\"",
        "\"9999-12-31T23:00:00-05:00\"", "\"2025-13-01T10:00:00\"", "\"2025-09-28\"", "\"28.09.2025 10:00\"", "1759053600",
        "{\"at\":\"2025-09-28T10:00:00\"}"));
    for (Map.Entry<String, List<String>> field : refused.entrySet()) {
      for (String value : field.getValue()) {
        String what = field.getKey() + "=" + (value.length() > 60 ? value.substring(0, 60) + "…" : value);
        assertRefused(api.send("POST", CREATE, sampleWith(field.getKey(), value)), field.getKey(), what);
      }
    }
    assertEquals(0, stored(), "nothing refused was stored");
  }

  @Test
  void theBoundaryValuesAreTakenAndStoredExactly() {
    String body = sampleWith("estimated_cost", "\"1000000000.00\"").replace("\"123456789\"", "\"9007199254740991\"");
    ApiClient.Answer a = api.send("POST", CREATE, body);
    assertEquals(201, a.status(), a.toString());
    ServiceRequest r = new DeskStorage(desk.storage()).requests().find(a.json().getString("request_number")).await().orElseThrow();
    assertEquals(9007199254740991L, r.requesterId());
    assertEquals(0, new BigDecimal("1000000000").compareTo(r.estimatedCost()));

    ApiClient.Answer early = api.post(CREATE, ApiClient.legacySample().put("preferred_time", "0001-01-01T00:00:00Z")
        .put("estimated_cost", 12.5).put("description", "Line one\nline two\twith a tab"));
    assertEquals(201, early.status(), early.toString());
    JsonObject request = early.json().getJsonObject("request");
    assertEquals("0001-01-01T00:00:00.000Z", request.getString("preferred_time"), "year 1 is year 1, not shifted");
    assertEquals("Line one\nline two\twith a tab", request.getString("description"), "a multi-line field keeps newlines and tabs");
    assertEquals(0, new BigDecimal("12.5").compareTo(new BigDecimal(request.getValue("estimated_cost").toString())));

    ApiClient.Answer late = api.post(CREATE, ApiClient.legacySample().put("preferred_time", "9999-12-31T23:59:59").put("estimated_cost", "0"));
    assertEquals(201, late.status(), late.toString());
    assertEquals("9999-12-31T23:59:59.000Z", late.json().getJsonObject("request").getString("preferred_time"));
    ApiClient.Answer offset = api.post(CREATE, ApiClient.legacySample().put("preferred_time", "2025-09-28T10:00:00+03:00"));
    assertEquals(Instant.parse("2025-09-28T07:00:00Z").toString().replace("Z", ".000Z"),
        offset.json().getJsonObject("request").getString("preferred_time"));
  }

  @Test
  void theOtherBodiesFollowTheSameRules() {
    String number = api.post(CREATE, ApiClient.legacySample()).json().getString("request_number");
    String base = "/api/v1/bot/requests/" + number;
    assertRefused(api.send("PUT", base + "/update", "{\"title\":{\"a\":1}}"), "title", "update title object");
    assertRefused(api.send("PUT", base + "/update", "{\"estimated_cost\":\"1e-25000000\"}"), "estimated_cost", "update cost");
    assertRefused(api.send("PUT", base + "/update", "{\"preferred_time\":\"0000-01-01T00:00:00\"}"), "preferred_time", "update year 0");
    assertRefused(api.send("POST", base + "/comments", "{\"text\":\"a \\u0000 b\"}"), "text", "comment with NUL");
    assertRefused(api.send("POST", base + "/comments", "{\"text\":{\"a\":1}}"), "text", "comment object");
    assertRefused(api.send("POST", base + "/comments", "{\"comment\":\"" + "c".repeat(3001) + "\"}"), "comment", "comment too long");
    assertRefused(api.send("PUT", base + "/status", "{\"new_status\":\"in_progress\\u0000\"}"), "new_status", "status with NUL");
    assertRefused(api.send("PUT", base + "/status", "{\"new_status\":\"in_progress\",\"comment\":\"x\\u0000\"}"), "comment", "status comment");
    assertRefused(api.send("PUT", base + "/status", "{\"new_status\":\"in_progress\",\"user_id\":18446744073709551617}"), "user_id", "status actor");
    assertRefused(api.send("POST", base + "/assign", "{\"executor_id\":18446744073709551617}"), "executor_id", "executor wraps");
    assertRefused(api.send("POST", base + "/assign", "{\"executor_id\":\"555\",\"user_id\":[1]}"), "user_id", "assign actor");
    assertEquals("new", api.get(base).json().getString("status"), "nothing refused was changed");
    assertEquals(0, api.get(base).json().getJsonObject("request").getJsonArray("comments").size());
  }

  @Test
  void anOversizedBodyIs413AndANonJsonBodyIs415BothAsJson() {
    String huge = sampleWith("description", "\"" + "d".repeat(70_000) + "\"");
    for (String route : List.of(CREATE, "/api/v1/bot/migration/validate")) {
      ApiClient.Answer tooBig = api.send("POST", route, huge);
      assertEquals(413, tooBig.status(), route + ": " + tooBig);
      assertTrue(tooBig.contentType().startsWith("application/json"), tooBig.contentType());
      assertFalse(tooBig.json().getBoolean("success"));
      assertEquals("The body is larger than 65536 bytes", tooBig.json().getString("message"));
    }
    String sample = ApiClient.legacySample().encode();
    for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "image/png")) {
      ApiClient.Answer a = api.send("POST", CREATE, sample, Map.of("Content-Type", type));
      assertEquals(415, a.status(), type + ": " + a);
      assertTrue(a.contentType().startsWith("application/json"), a.contentType());
      assertEquals("The body must be JSON (Content-Type: application/json)", a.json().getString("message"));
    }
    assertEquals(0, stored());
    // JSON with a charset, and what `curl -d` sends when no type is given (the seed's own commands), are read as JSON
    assertEquals(201, api.send("POST", CREATE, sample, Map.of("Content-Type", "application/json; charset=utf-8")).status());
    assertEquals(201, api.send("POST", CREATE, sample, Map.of("Content-Type", "application/x-www-form-urlencoded")).status());
    assertEquals(2, stored());
  }

  @Test
  void storageDownIs503AndDegradedWithoutTheDirectory() {
    String number = api.post(CREATE, ApiClient.legacySample()).json().getString("request_number");
    desk.storage().close().await();
    ApiClient.Answer down = api.get("/api/v1/bot/requests/" + number);
    assertEquals(503, down.status(), down.toString());
    assertFalse(down.json().getBoolean("success"));
    assertEquals("The storage is unavailable; retry later", down.json().getString("message"));
    ApiClient.Answer bare = api.withToken(null).get("/api/v1/internal/health");
    assertEquals(503, bare.status(), bare.toString());
    assertEquals(new JsonObject().put("status", "degraded"), bare.json());
    ApiClient.Answer detail = api.get("/api/v1/internal/health");
    assertEquals(503, detail.status(), detail.toString());
    assertEquals(new JsonObject().put("backend", "json").put("ok", false), detail.json().getJsonObject("storage"));
    for (ApiClient.Answer a : List.of(down, bare, detail)) {
      assertFalse(a.body().contains("desk-api-validation") || a.body().contains("/tmp"), "no directory: " + a);
    }
  }

  @Test
  void aMalformedIdempotencyKeyIs422NamingTheHeader() {
    String url = "http://127.0.0.1:" + desk.workerPort() + CREATE;
    String sample = ApiClient.legacySample().encode();
    assertRefused(api.send("POST", CREATE, sample, Map.of("Idempotency-Key", "k".repeat(129))), "Idempotency-Key", "129 characters");
    // bytes the JDK client will not send: through curl
    for (String header : List.of("Idempotency-Key: ключ-1", "Idempotency-Key: tab\tinside", "Idempotency-Key;")) {
      ApiClient.Answer a = Curl.run(List.of("-X", "POST", url, "-H", "Authorization: Bearer " + ApiClient.TOKEN,
          "-H", "Content-Type: application/json", "-H", header, "-d", sample));
      assertRefused(a, "Idempotency-Key", header);
    }
    assertEquals(0, stored());
    assertEquals(201, api.send("POST", CREATE, sample, Map.of("Idempotency-Key", "k".repeat(128))).status(), "128 printable ASCII is fine");
  }
}
