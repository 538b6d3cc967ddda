package io.splitbot.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.storage.PgDatabases;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.storage.dual.DualStorage;
import io.splitbot.desk.storage.Comment;
import io.splitbot.desk.storage.ServiceRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** migration/validate and migration/sync with STORAGE_BACKEND=dual (json primary, postgresql secondary). */
@ExtendWith(VertxExtension.class)
class MigrationEndpointsTest {
  private String database;

  @AfterEach
  void drop() throws Exception {
    if (database != null) {
      PgDatabases.drop(database);
    }
  }

  /** The desk in this JVM with STORAGE_BACKEND=dual: json primary, PostgreSQL {@code database} secondary. */
  static DeskHarness dualDesk(Vertx vertx, String database, String dir) {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = DeskHarness.env(fake, TestEnv.tempDir(dir));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    env.put("STORAGE_BACKEND", "dual");
    env.put("DUAL_PRIMARY", "json");
    env.put("DUAL_SECONDARY", "postgresql");
    env.put("DATABASE_URL", PgDatabases.url(database));
    return DeskHarness.inProcess(vertx, fake, env);
  }

  @Test
  void validateReportsTheDifferencesAndSyncCopiesTheRequestFromTheSecondary(Vertx vertx) throws Exception {
    database = PgDatabases.create("desk_migration");
    DeskHarness desk = dualDesk(vertx, database, "desk-migration");
    ApiClient api = new ApiClient(desk.workerPort());
    DualStorage dual = (DualStorage) desk.storage();

    // written through the API: on both sides
    String number = api.post("/api/v1/bot/requests/create", ApiClient.legacySample()).json().getString("request_number");
    ApiClient.Answer same = api.post("/api/v1/bot/migration/validate", new JsonObject().put("request_number", number));
    assertEquals(200, same.status(), same.toString());
    assertEquals(true, same.json().getBoolean("in_sync"), same.toString());
    assertEquals("new", same.json().getString("status"));

    // a request the secondary has alone (written there by the legacy side), with a comment
    String legacy = number.substring(0, 7) + "500";
    new DeskStorage(dual.secondary()).requests().create(ServiceRequest.builder().number(legacy).requesterId(42).title("From the old bot")
        .category("heating").build()).await();
    new DeskStorage(dual.secondary()).comments().add(Comment.create(legacy, 42, "still cold")).await();
    ApiClient.Answer differs = api.post("/api/v1/bot/migration/validate", new JsonObject().put("request_number", legacy));
    assertEquals(200, differs.status(), differs.toString());
    assertEquals(false, differs.json().getBoolean("in_sync"));
    assertEquals("missing_in_source", differs.json().getJsonArray("diffs").getJsonObject(0).getString("status"), differs.toString());

    ApiClient.Answer synced = api.post("/api/v1/bot/migration/sync", new JsonObject().put("request_number", legacy));
    assertEquals(200, synced.status(), synced.toString());
    assertEquals(true, synced.json().getBoolean("in_sync"), synced.toString());
    assertEquals("new", synced.json().getString("status"));
    assertEquals("Request " + legacy + " copied from the secondary store", synced.json().getString("message"));
    assertEquals("From the old bot", new DeskStorage(dual.primary()).requests().find(legacy).await().orElseThrow().title());
    assertEquals(1, new DeskStorage(dual.primary()).comments().list(legacy).await().size(), "copied with its comment");
    assertTrue(api.get("/api/v1/bot/requests/" + legacy).json().getBoolean("success"));

    String unknown = number.substring(0, 7) + "900";
    assertEquals(404, api.post("/api/v1/bot/migration/validate", new JsonObject().put("request_number", unknown)).status());
    assertEquals(404, api.post("/api/v1/bot/migration/sync", new JsonObject().put("request_number", unknown)).status());
    assertEquals(422, api.post("/api/v1/bot/migration/sync", new JsonObject()).status());
    assertEquals(400, api.send("POST", "/api/v1/bot/migration/sync", "{").status());
  }
}
