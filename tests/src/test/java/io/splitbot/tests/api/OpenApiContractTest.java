package io.splitbot.tests.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.api.InternalApi;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.desk.DeskHarness;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document served at /api/v1/openapi.yaml matches the implementation: every documented path and method
 * is a route that answers (with one of its documented statuses), and every route is documented.
 */
@ExtendWith(VertxExtension.class)
class OpenApiContractTest {

  @Test
  @SuppressWarnings("unchecked")
  void theServedDocumentAndTheRoutesAgree(Vertx vertx) {
    FakeTelegramApi fake = new FakeTelegramApi(vertx, TestEnv.TOKEN);
    fake.start().await();
    Map<String, String> env = DeskHarness.env(fake, TestEnv.tempDir("desk-openapi"));
    env.put("INTERNAL_API_TOKEN", ApiClient.TOKEN);
    DeskHarness desk = DeskHarness.inProcess(vertx, fake, env);
    ApiClient api = new ApiClient(desk.workerPort());

    ApiClient.Answer served = api.withToken(null).get(InternalApi.OPENAPI_PATH);
    assertEquals(200, served.status());
    assertTrue(served.contentType().startsWith("application/yaml"), served.contentType());
    Map<String, Object> doc = new Yaml().load(served.body());
    assertTrue(String.valueOf(doc.get("openapi")).startsWith("3."), "an OpenAPI 3 document");
    Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");

    Set<String> documented = new TreeSet<>();
    paths.forEach((path, ops) -> ops.keySet().stream()
        .filter(m -> Set.of("get", "put", "post", "delete", "patch").contains(m))
        .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
    Set<String> implemented = new TreeSet<>();
    InternalApi.ENDPOINTS.forEach(e -> implemented.add(e.method().name() + " " + e.path()));
    assertEquals(implemented, documented, "routes and document differ");

    String number = api.post("/api/v1/bot/requests/create", ApiClient.legacySample()).json().getString("request_number");
    for (String op : documented) {
      String method = op.substring(0, op.indexOf(' '));
      String path = op.substring(op.indexOf(' ') + 1);
      Map<String, Object> operation = (Map<String, Object>) paths.get(path).get(method.toLowerCase());
      Set<String> statuses = new TreeSet<>();
      ((Map<Object, Object>) operation.get("responses")).keySet().forEach(k -> statuses.add(String.valueOf(k)));
      String url = path.replace("{number}", number);
      JsonObject body = method.equals("GET") ? null : sampleBody(path, number);
      ApiClient.Answer a = api.send(method, url, body);
      assertTrue(statuses.contains(String.valueOf(a.status())), op + " answered " + a + ", documented: " + statuses);
      if (!path.equals(InternalApi.OPENAPI_PATH)) {
        // answered by the API itself, not by the router's "not found" or "method not allowed"
        assertTrue(a.json().containsKey("success"), op + ": " + a);
        if (path.equals(InternalApi.HEALTH_PATH)) {
          assertEquals(new JsonObject().put("status", "ok"), api.withToken(null).send(method, url, body).json(),
              "without the token, health is the status alone");
        } else {
          assertTrue(statuses.contains("401"), op + " documents its 401");
          assertEquals(401, api.withToken(null).send(method, url, body).status(), op);
        }
      }
    }
  }

  private static JsonObject sampleBody(String path, String number) {
    if (path.endsWith("/create")) {
      return ApiClient.legacySample();
    } else if (path.endsWith("/update")) {
      return new JsonObject().put("title", "A new title");
    } else if (path.endsWith("/comments")) {
      return new JsonObject().put("text", "a comment");
    } else if (path.endsWith("/status")) {
      return new JsonObject().put("status", "в работе");
    } else if (path.endsWith("/assign")) {
      return new JsonObject().put("executor_id", "555");
    } else if (path.endsWith("/records")) {
      return new JsonObject().put("op", "get").put("kind", "requests").put("keys", new io.vertx.core.json.JsonArray().add(number));
    }
    return new JsonObject().put("request_number", number);
  }
}
