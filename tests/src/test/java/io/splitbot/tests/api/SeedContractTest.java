package io.splitbot.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.api.InternalApi;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.worker.storage.dual.DualStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The request service's migration guide (the seed the desk replaces), replayed as its callers would: its endpoint
 * list, its JSON examples, and its curl command lines as written, with only host, port and token substituted. Each
 * answer has the fields the guide documents, with their types. The desk runs as the guide's dual-write phase has
 * it: json primary, PostgreSQL secondary (the legacy side).
 */
@ExtendWith(VertxExtension.class)
class SeedContractTest {
  /** "Bot Integration Service / Endpoints" and "Migration APIs" / "Health Checks", as the guide lists them. */
  static final List<String> SEED_ENDPOINTS = List.of(
      "POST /api/v1/bot/requests/create",
      "PUT /api/v1/bot/requests/{id}/update",
      "POST /api/v1/bot/requests/{id}/comments",
      "PUT /api/v1/bot/requests/{id}/status",
      "POST /api/v1/bot/requests/{id}/assign",
      "GET /api/v1/bot/requests/{id}",
      "GET /api/v1/bot/requests/search",
      "POST /api/v1/bot/migration/sync",
      "POST /api/v1/bot/migration/validate",
      "GET /api/v1/internal/health");

  /** "Data Format Changes / Request Creation / Bot Format (Input)". */
  static final String SEED_CREATE = """
      {
        "user_id": "123456789",
        "title": "Заявка на ремонт",
        "description": "Описание проблемы",
        "address": "ул. Примерная, д. 1",
        "apartment": "123",
        "category": "сантехника",
        "priority": "обычный",
        "phone": "+998901234567",
        "contact_name": "Иван Иванов",
        "is_emergency": false,
        "estimated_cost": 100000,
        "preferred_time": "2025-09-28T10:00:00"
      }""";

  /** "Data Format Changes / Status Update / Bot Format". */
  static final String SEED_STATUS = """
      {
        "user_id": "123456789",
        "new_status": "в работе",
        "comment": "Взял в работу"
      }""";

  /** "Migration APIs / Sync from Monolith". */
  static final String SEED_SYNC = """
      {
        "request_number": "250927-001"
      }""";

  /** "Troubleshooting / Debug Commands": the two curl commands, verbatim. */
  static final String SEED_CURL_VALIDATE = """
      curl -X POST localhost:8002/api/v1/bot/migration/validate \\
        -H "Authorization: Bearer ${TOKEN}" \\
        -d '{"request_number": "250927-001"}'""";
  static final String SEED_CURL_HEALTH = "curl localhost:8002/api/v1/internal/health";

  private String database;

  @AfterEach
  void drop() throws Exception {
    if (database != null) {
      PgDatabases.drop(database);
    }
  }

  private static String local(String curl, int port) {
    return curl.replace("localhost:8002", "127.0.0.1:" + port).replace("${TOKEN}", ApiClient.TOKEN);
  }

  @Test
  void everyEndpointTheGuideListsIsServed() {
    Set<String> served = new TreeSet<>();
    InternalApi.ENDPOINTS.forEach(e -> served.add(e.method().name() + " " + e.path().replace("{number}", "{id}")));
    for (String endpoint : SEED_ENDPOINTS) {
      assertTrue(served.contains(endpoint), endpoint + " is not served; served: " + served);
    }
  }

  @Test
  void theGuidesExamplesAndCurlCommandsGetTheGuidesAnswers(Vertx vertx) throws Exception {
    database = PgDatabases.create("desk_seed");
    DeskHarness desk = MigrationEndpointsTest.dualDesk(vertx, database, "desk-seed");
    int port = desk.workerPort();
    ApiClient api = new ApiClient(port);

    // Request Creation → {"success": true, "request_number": "250927-001", "status": "новая", "message": "..."}
    ApiClient.Answer created = api.send("POST", "/api/v1/bot/requests/create", SEED_CREATE);
    assertEquals(201, created.status(), created.toString());
    JsonObject c = created.json();
    assertEquals(true, c.getValue("success"));
    assertInstanceOf(String.class, c.getValue("request_number"));
    assertTrue(ServiceRequest.NUMBER.matcher(c.getString("request_number")).matches(), c.encode());
    assertInstanceOf(String.class, c.getValue("status"));
    assertInstanceOf(String.class, c.getValue("message"));
    assertTrue(c.getString("message").contains(c.getString("request_number")), c.encode());

    // the guide's own number, written on the legacy side only, as a monolith-era request would be
    DualStorage dual = (DualStorage) desk.storage();
    new DeskStorage(dual.secondary()).requests().create(ServiceRequest.builder().number("250927-001").requesterId(123456789L)
        .title("Заявка на ремонт").description("Описание проблемы").address("ул. Примерная, д. 1").category("plumbing").build()).await();

    // curl -X POST localhost:8002/api/v1/bot/migration/validate ... (curl's default form type, a JSON body)
    ApiClient.Answer validated = Curl.run(local(SEED_CURL_VALIDATE, port));
    assertEquals(200, validated.status(), validated.toString());
    JsonObject v = validated.json();
    assertEquals(true, v.getValue("success"));
    assertEquals("250927-001", v.getValue("request_number"));
    assertEquals(false, v.getValue("in_sync"), "the primary does not have it yet: " + v.encode());

    // Sync from Monolith
    ApiClient.Answer synced = api.send("POST", "/api/v1/bot/migration/sync", SEED_SYNC);
    assertEquals(200, synced.status(), synced.toString());
    assertEquals("250927-001", synced.json().getValue("request_number"));
    assertEquals(true, synced.json().getValue("in_sync"));

    // Status Update → {"success": true, "request_number": "250927-001", "new_status": "в работе", "message": "..."}
    ApiClient.Answer status = api.send("PUT", "/api/v1/bot/requests/250927-001/status", SEED_STATUS);
    assertEquals(200, status.status(), status.toString());
    JsonObject s = status.json();
    assertEquals(true, s.getValue("success"));
    assertEquals("250927-001", s.getValue("request_number"));
    assertEquals("в работе", s.getValue("new_status"));
    assertInstanceOf(String.class, s.getValue("message"));
    assertEquals("in_progress", new DeskStorage(dual.primary()).requests().find("250927-001").await().orElseThrow().status());
    assertEquals(List.of("Взял в работу"), new DeskStorage(dual.primary()).comments().list("250927-001").await().stream()
        .map(x -> x.text()).toList(), "the comment goes with the change");
    ApiClient.Answer again = api.send("PUT", "/api/v1/bot/requests/250927-001/status", SEED_STATUS);
    assertEquals(200, again.status(), again.toString());
    assertEquals("в работе", again.json().getValue("new_status"));
    assertEquals(1, new DeskStorage(dual.primary()).comments().list("250927-001").await().size(), "a repeat adds no second comment");
    // the older name of the field still works
    assertEquals("done", api.put("/api/v1/bot/requests/250927-001/status", new JsonObject().put("status", "выполнена"))
        .json().getJsonObject("request").getString("status"));

    // curl localhost:8002/api/v1/internal/health: no token, the status alone
    ApiClient.Answer health = Curl.run(local(SEED_CURL_HEALTH, port));
    assertEquals(200, health.status(), health.toString());
    assertEquals(new JsonObject().put("status", "ok"), health.json());
    // with the token, the detail, and still no path or host
    JsonObject detail = api.get(InternalApi.HEALTH_PATH).json();
    assertEquals("ok", detail.getString("status"));
    assertEquals("dual", detail.getJsonObject("storage").getString("backend"), detail.encode());
    assertFalse(detail.encode().contains("127.0.0.1") || detail.encode().contains(database) || detail.encode().contains("/tmp"),
        "no host, database or directory: " + detail.encode());
  }
}
