package io.splitbot.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.desk.DeskHarness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/bot/records}, what another worker's remote backend calls: stored records in, the same records
 * out, nobody notified; every wrong call a 4xx with a JSON reason.
 */
@ExtendWith(VertxExtension.class)
class RecordsEndpointTest {
  private static final String PATH = "/api/v1/bot/records";

  private static JsonObject request(String number, String status) {
    return new JsonObject().put("number", number).put("requester_platform", "telegram").put("requester_id", 42)
        .put("title", "Течёт кран").put("category", "plumbing").put("priority", "normal").put("status", status)
        .put("is_emergency", false).put("executor_platform", "telegram")
        .put("created_at", "2026-12-07T08:00:00.000Z").put("updated_at", "2026-12-07T08:00:00.000Z");
  }

  @Test
  void aReplicaKeepsTheRecordsAsTheyAreAndEveryWrongCallIsRefusedWithAReason(Vertx vertx) {
    DeskHarness desk = DeskHarness.withApi(vertx, "desk-records", Map.of("ADMIN_USER_IDS", "777"));
    FakeTelegramApi fake = desk.fake();
    ApiClient api = new ApiClient(desk.workerPort());

    // a replicated request keeps its number, status and timestamps, and the admin hears nothing of it
    JsonObject put = new JsonObject().put("op", "put").put("kind", "requests")
        .put("records", new JsonArray().add(request("261207-042", "in_progress")));
    assertEquals(200, api.post(PATH, put).status());
    JsonObject shown = api.get("/api/v1/bot/requests/261207-042").json().getJsonObject("request");
    assertEquals("in_progress", shown.getString("status"));
    assertEquals("2026-12-07T08:00:00.000Z", shown.getString("created_at"));
    ApiClient.Answer got = api.post(PATH, new JsonObject().put("op", "get").put("kind", "requests")
        .put("keys", new JsonArray().add("261207-042").add("261207-043")));
    assertEquals(1, got.json().getJsonArray("records").size(), got.toString());
    assertEquals(request("261207-042", "in_progress").getString("title"),
        got.json().getJsonArray("records").getJsonObject(0).getString("title"));
    assertEquals(0, fake.calls("sendMessage").size(), "a replica notifies nobody");

    // one atomic change: refused when what the caller read has changed, or when an insert's key exists
    JsonObject stale = new JsonObject().put("op", "apply")
        .put("reads", new JsonArray().add(new JsonObject().put("kind", "requests").put("key", "261207-042")
            .put("record", request("261207-042", "new"))))
        .put("writes", new JsonArray().add(new JsonObject().put("kind", "requests").put("key", "261207-042")
            .put("record", request("261207-042", "done"))));
    ApiClient.Answer conflict = api.post(PATH, stale);
    assertEquals(409, conflict.status(), conflict.toString());
    assertEquals("conflict", conflict.json().getString("reason"));
    JsonObject insert = new JsonObject().put("op", "apply")
        .put("reads", new JsonArray().add(new JsonObject().put("kind", "requests").put("key", "261207-042")
            .put("record", request("261207-042", "in_progress"))))
        .put("writes", new JsonArray().add(new JsonObject().put("kind", "requests").put("key", "261207-042")
            .put("record", request("261207-042", "done")).put("insert", true)));
    ApiClient.Answer duplicate = api.post(PATH, insert);
    assertEquals(409, duplicate.status(), duplicate.toString());
    assertEquals("duplicate", duplicate.json().getString("reason"));
    assertEquals("in_progress", api.get("/api/v1/bot/requests/261207-042").json().getJsonObject("request").getString("status"));

    insert.getJsonArray("writes").getJsonObject(0).put("insert", false);
    assertEquals(200, api.post(PATH, insert).status());
    assertEquals("done", api.get("/api/v1/bot/requests/261207-042").json().getJsonObject("request").getString("status"));

    // wrong calls: 4xx with a reason, never a 5xx
    assertRefused(api.post(PATH, new JsonObject().put("op", "drop")), 400, "op must be one of");
    assertRefused(api.post(PATH, new JsonObject().put("op", "get").put("kind", "users").put("keys", new JsonArray())), 422, "kind must be one of");
    assertRefused(api.post(PATH, new JsonObject().put("op", "get").put("kind", "requests").put("keys", "x")), 422, "keys");
    assertRefused(api.post(PATH, new JsonObject().put("op", "scan").put("kind", "requests").put("limit", 5000)), 422, "limit");
    assertRefused(api.post(PATH, new JsonObject().put("op", "put").put("kind", "requests")
        .put("records", new JsonArray().add(request("bad", "new")))), 422, "number must look like");
    assertRefused(api.post(PATH, new JsonObject().put("op", "find").put("kind", "requests")
        .put("query", new JsonObject().put("where", new JsonArray().add(1)))), 422, "not a query");
    assertRefused(api.post(PATH, new JsonObject().put("op", "apply").put("reads", new JsonArray())), 422, "reads");
    assertEquals(400, api.send("POST", PATH, "{").status());
    assertEquals(401, api.withToken(null).post(PATH, new JsonObject().put("op", "count").put("kind", "requests")).status());
  }

  private static void assertRefused(ApiClient.Answer a, int status, String reason) {
    assertEquals(status, a.status(), a.toString());
    assertEquals(false, a.json().getBoolean("success"), a.toString());
    assertTrue(a.json().getString("message").contains(reason), a.toString());
  }
}
