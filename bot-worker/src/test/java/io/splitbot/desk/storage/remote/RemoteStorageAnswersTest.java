package io.splitbot.desk.storage.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.storage.DeskKinds;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.worker.storage.ConflictException;
import io.splitbot.worker.storage.DuplicateKeyException;
import io.splitbot.worker.storage.StorageConfig;
import io.splitbot.worker.storage.StorageException;
import io.splitbot.worker.storage.StorageUnavailableException;
import io.splitbot.worker.storage.Tx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the request service is checked: outages (timeouts, refused connections, 5xx, 429, answers that
 * are no JSON) are "retry later"; a refused token, a missing endpoint or a refused call is a StorageException that
 * says what to fix; 409 comes back as the conflict or duplicate it was. The token appears in no message.
 */
class RemoteStorageAnswersTest {
  private static final String TOKEN = "remote-test-token-93kd02";

  private Vertx vertx;
  private HttpServer server;
  private final AtomicReference<Consumer<HttpServerRequest>> answer = new AtomicReference<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicReference<String> authorization = new AtomicReference<>();
  private final AtomicReference<JsonObject> lastBody = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      calls.incrementAndGet();
      authorization.set(req.getHeader("Authorization"));
      lastBody.set(b.length() == 0 ? null : b.toJsonObject());
      answer.get().accept(req);
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private RemoteStorage storage(long timeoutMs) {
    return new RemoteStorage(vertx, new StorageConfig.Remote("http://127.0.0.1:" + server.actualPort(), TOKEN, timeoutMs, "json"));
  }

  private void answering(int status, String body) {
    answer.set(req -> req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body));
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("succeeded");
  }

  private Throwable get(long timeoutMs) throws Exception {
    Throwable e = failure(storage(timeoutMs).records(DeskKinds.REQUESTS).get("261207-001"));
    assertFalse(String.valueOf(e.getMessage()).contains(TOKEN), e.getMessage());
    assertFalse(String.valueOf(e.getMessage()).contains("127.0.0.1"), "no address: " + e.getMessage());
    return e;
  }

  @Test
  void outagesAreRetryLater() throws Exception {
    answering(503, "{\"success\":false,\"message\":\"storage unavailable\"}");
    assertInstanceOf(StorageUnavailableException.class, get(5000));
    assertEquals("Bearer " + TOKEN, authorization.get());

    answering(500, "<html>Internal Server Error</html>");
    assertInstanceOf(StorageUnavailableException.class, get(5000));

    answering(429, "");
    assertInstanceOf(StorageUnavailableException.class, get(5000));

    answering(200, "this is no JSON");
    Throwable garbage = get(5000);
    assertInstanceOf(StorageUnavailableException.class, garbage);
    assertTrue(garbage.getMessage().contains("no JSON object"), garbage.getMessage());

    answering(200, "[1,2]");
    assertInstanceOf(StorageUnavailableException.class, get(5000));

    answering(200, "{\"success\":true,\"records\":[{\"number\":\"not a number\"}]}");
    Throwable notARecord = get(5000);
    assertInstanceOf(StorageUnavailableException.class, notARecord);
    assertTrue(notARecord.getMessage().contains("without valid records of requests"), notARecord.getMessage());
    answering(200, "{\"success\":true}");
    assertInstanceOf(StorageUnavailableException.class, failure(storage(5000).records(DeskKinds.REQUESTS).count()));

    answer.set(req -> { }); // never answers
    Throwable slow = get(300);
    assertInstanceOf(StorageUnavailableException.class, slow);
    assertTrue(slow.getMessage().contains("no answer within 300 ms"), slow.getMessage());

    int port = server.actualPort();
    server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Throwable refused = failure(new RemoteStorage(vertx, new StorageConfig.Remote("http://127.0.0.1:" + port, TOKEN, 2000, "json"))
        .records(DeskKinds.REQUESTS).get("261207-001"));
    assertInstanceOf(StorageUnavailableException.class, refused);
    assertFalse(refused.getMessage().contains("127.0.0.1") || refused.getMessage().contains(TOKEN), refused.getMessage());
  }

  @Test
  void refusalsSayWhatToFix() throws Exception {
    answering(401, "{\"success\":false,\"message\":\"bad token\"}");
    Throwable token = get(5000);
    assertFalse(token instanceof StorageUnavailableException, "a wrong token is no outage: " + token);
    assertTrue(token.getMessage().contains("refused the token") && token.getMessage().contains("REMOTE_STORAGE_TOKEN"), token.getMessage());
    assertInstanceOf(StorageException.class, failure(storage(5000).start()), "a wrong token stops start-up");

    answering(404, "{\"message\":\"Not Found\"}");
    Throwable missing = get(5000);
    assertInstanceOf(StorageException.class, missing);
    assertTrue(missing.getMessage().contains("/api/v1/bot/records"), missing.getMessage());

    answering(422, "{\"success\":false,\"message\":\"keys must be a list\"}");
    Throwable refused = get(5000);
    assertFalse(refused instanceof StorageUnavailableException);
    assertTrue(refused.getMessage().contains("HTTP 422: keys must be a list"), refused.getMessage());
  }

  @Test
  void aChangeIsAppliedInOneCallAndRetriedOnAConflict() throws Exception {
    ServiceRequest r = ServiceRequest.builder().number("261207-001").requesterId(5).title("t").build();
    AtomicInteger applies = new AtomicInteger();
    answer.set(req -> {
      JsonObject body = lastBody.get();
      if (body.getString("op").equals("get")) {
        req.response().end(new JsonObject().put("success", true).put("records", new io.vertx.core.json.JsonArray()).encode());
      } else if (applies.incrementAndGet() == 1) {
        req.response().setStatusCode(409).end("{\"success\":false,\"reason\":\"conflict\",\"message\":\"changed meanwhile\"}");
      } else {
        assertEquals(1, body.getJsonArray("writes").size());
        assertEquals(true, body.getJsonArray("writes").getJsonObject(0).getBoolean("insert"));
        req.response().setStatusCode(409).end("{\"success\":false,\"reason\":\"duplicate\",\"kind\":\"requests\",\"key\":\"261207-001\"}");
      }
    });
    Throwable dup = failure(storage(5000).apply(List.of(Tx.ref(DeskKinds.REQUESTS, r.number())), tx -> {
      tx.insert(DeskKinds.REQUESTS, r);
      return null;
    }));
    assertInstanceOf(DuplicateKeyException.class, dup);
    assertEquals(2, applies.get(), "run again once after the conflict");

    applies.set(0);
    answer.set(req -> {
      if (lastBody.get().getString("op").equals("get")) {
        req.response().end(new JsonObject().put("success", true).put("records", new io.vertx.core.json.JsonArray()).encode());
      } else {
        applies.incrementAndGet();
        req.response().setStatusCode(409).end("{\"success\":false,\"reason\":\"conflict\",\"message\":\"changed meanwhile\"}");
      }
    });
    assertInstanceOf(ConflictException.class, failure(storage(5000).apply(List.of(Tx.ref(DeskKinds.REQUESTS, r.number())), tx -> {
      tx.put(DeskKinds.REQUESTS, r);
      return null;
    })));
    assertEquals(RemoteStorage.APPLY_ATTEMPTS, applies.get(), "a bounded number of attempts");
  }
}
