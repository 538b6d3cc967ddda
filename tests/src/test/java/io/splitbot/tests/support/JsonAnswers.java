package io.splitbot.tests.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** What every answer of an entry point must look like to someone outside. */
public final class JsonAnswers {
  private JsonAnswers() {
  }

  /** The status; an error is JSON with a reason in {@code error} and no stack trace. Returns the reason, or null. */
  public static String expect(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), "body: " + response.body());
    if (status < 400) {
      return null;
    }
    JsonObject body = new JsonObject(response.body());
    assertNotNull(body.getString("error"), "error answers carry a reason");
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertTrue(!response.body().contains("Exception") && !response.body().contains("\tat "), "no stack trace");
    return body.getString("error");
  }
}
