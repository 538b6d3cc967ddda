package io.splitbot.shared.platform.max;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.http.RateGate;
import io.splitbot.shared.platform.max.MaxApiClient.Recipient;
import io.splitbot.shared.platform.max.MaxLikeServer.Received;
import io.splitbot.shared.retry.OutcomeUnknown;
import io.splitbot.shared.retry.RetryLater;
import io.splitbot.shared.telegram.AttemptGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The MAX API client against a local server that answers as MAX: what arrives there, when, and what the caller sees. */
class MaxApiClientTest {
  private static final String TOKEN = "f9LHodD0cOJ5iN3Lr_tQ-aXb7KpZ2sWm8vYe4uRqTn1";
  private static final JsonArray KEYBOARD = new JsonArray().add(new JsonObject().put("type", "inline_keyboard")
      .put("payload", new JsonObject().put("buttons", new JsonArray().add(new JsonArray()
          .add(new JsonObject().put("type", "callback").put("text", "Open").put("payload", "open:1"))))));

  private Vertx vertx;
  private MaxLikeServer max;
  private final List<MaxApiClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    max = new MaxLikeServer(vertx, TOKEN);
    await(max.start());
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(MaxApiClient::close);
    await(max.stop());
    await(vertx.close());
  }

  @Test
  void aMessageGoesToOneRecipientWithTheTokenOnlyInTheAuthorizationHeader() throws Exception {
    MaxApiClient api = client();
    String text = "Заявка 250927-001 créée ✅ <b>&</b>";

    JsonObject message = await(api.sendMessage(Recipient.chat(-1001), text, KEYBOARD));

    assertEquals(text, message.getJsonObject("body").getString("text"));
    assertEquals("mid.1", message.getJsonObject("body").getString("mid"));
    assertEquals(-1001, message.getJsonObject("recipient").getLong("chat_id"));
    Received sent = max.received().get(0);
    assertEquals("POST", sent.verb());
    assertEquals("/messages", sent.path());
    assertEquals("-1001", sent.query().get("chat_id"));
    assertNull(sent.query().get("user_id"));
    assertEquals(TOKEN, sent.authorization(), "the bare token, no 'Bearer '");
    assertTrue(sent.contentType().startsWith("application/json"), sent.contentType());
    assertEquals(new JsonObject().put("text", text).put("attachments", KEYBOARD), sent.body());

    await(api.sendMessage(Recipient.user(42), "hi", null));
    Received toUser = max.received().get(1);
    assertEquals("42", toUser.query().get("user_id"));
    assertNull(toUser.query().get("chat_id"));
    assertEquals(new JsonObject().put("text", "hi"), toUser.body());
    max.received().forEach(r -> assertFalse(r.uri().contains(TOKEN), r.uri()));
  }

  @Test
  void anyEndpointIsReachableAndTheHelpersSendWhatMaxDocuments() throws Exception {
    MaxApiClient api = client();
    List<String> attempts = new CopyOnWriteArrayList<>();
    api.listener((method, result, nanos) -> attempts.add(method + " " + result));

    Object members = await(api.call("GET /chats/-1001/members",
        new JsonObject().put("query", new JsonObject().put("count", 5).put("user_ids", new JsonArray().add(1).add(2)))));
    assertEquals(new JsonObject().put("members", new JsonArray()).putNull("marker"), members);
    Received read = max.received().get(0);
    assertEquals("GET", read.verb());
    assertEquals("5", read.query().get("count"));
    assertEquals("1,2", read.query().get("user_ids"));
    assertNull(read.body(), "a GET carries no body");

    await(api.editMessage("mid.7", "new text", new JsonArray()));
    assertRequest(1, "PUT", "/messages", "message_id", "mid.7",
        new JsonObject().put("text", "new text").put("attachments", new JsonArray()));
    await(api.answerCallback("cb.1", "Saved", null));
    assertRequest(2, "POST", "/answers", "callback_id", "cb.1", new JsonObject().put("notification", "Saved"));
    assertEquals(7, await(api.getMe()).getLong("user_id"));

    String url = "https://bot.example.com/webhook/max";
    await(api.subscribe(url, List.of("message_created", "message_callback"), "max_Secret-1"));
    assertEquals(new JsonObject().put("url", url)
        .put("update_types", new JsonArray().add("message_created").add("message_callback"))
        .put("secret", "max_Secret-1"), max.received().get(4).body());
    assertEquals(url, await(api.subscriptions()).getJsonObject(0).getString("url"));
    await(api.unsubscribe(url));
    assertRequest(6, "DELETE", "/subscriptions", "url", url, null);
    assertTrue(max.received().get(6).uri().endsWith("?url=https%3A%2F%2Fbot.example.com%2Fwebhook%2Fmax"));
    assertEquals(0, await(api.subscriptions()).size());

    MaxApiClient.Updates page = await(api.getUpdates(41L, 0, 100, List.of("message_created", "bot_started")));
    assertEquals(42L, page.marker());
    assertEquals("bot_started", page.updates().getJsonObject(0).getString("update_type"));
    Received poll = max.received().get(8);
    assertEquals("41", poll.query().get("marker"));
    assertEquals("0", poll.query().get("timeout"));
    assertEquals("100", poll.query().get("limit"));
    assertEquals("message_created,bot_started", poll.query().get("types"));
    // Metrics name an endpoint once, whatever ids its calls carry.
    assertEquals(List.of("GET /chats/{id}/members ok", "PUT /messages ok", "POST /answers ok"), attempts.subList(0, 3));
  }

  @Test
  void aTextOverFourThousandCharactersIsRefusedBeforeAnythingIsSent() throws Exception {
    MaxApiClient api = client();

    MaxApiException.NotSent tooLong = assertInstanceOf(MaxApiException.NotSent.class,
        failureOf(api.sendMessage(Recipient.chat(1), "a".repeat(4001), null)));
    assertEquals("MAX API POST /messages failed: text is 4001 characters; MAX allows at most 4000 in a message "
        + "(nothing was sent)", tooLong.getMessage());
    assertFalse(RetryLater.in(tooLong) || OutcomeUnknown.in(tooLong));
    MaxApiException inAnswer = assertInstanceOf(MaxApiException.NotSent.class, failureOf(
        api.answerCallback("cb.1", null, new JsonObject().put("text", "b".repeat(4500)))));
    assertTrue(inAnswer.getMessage().contains("message.text is 4500 characters"), inAnswer.getMessage());
    assertEquals(0, max.received().size(), "nothing reached MAX");

    // The limit counts characters: 4000 of them go out, emoji or not.
    await(api.sendMessage(Recipient.chat(1), "a".repeat(4000), null));
    await(api.sendMessage(Recipient.chat(1), "😀".repeat(1000) + "a".repeat(1000), null));
    assertEquals(2, max.received().size());
  }

  @Test
  void callsThatBreakMaxsRulesAreRefusedBeforeAnythingIsSent() throws Exception {
    MaxApiClient api = client();
    JsonObject text = new JsonObject().put("text", "x");

    assertRefused(api.call("POST /messages", new JsonObject()
        .put("query", new JsonObject().put("chat_id", 1).put("user_id", 2)).put("body", text)),
        "exactly one of query.chat_id and query.user_id");
    assertRefused(api.call("POST /messages", new JsonObject().put("body", text)), "exactly one of query.chat_id");
    assertRefused(api.call("sendMessage", new JsonObject()), "'<VERB> /path'");
    assertRefused(api.call("post /messages", new JsonObject()), "'<VERB> /path'");
    assertRefused(api.call("GET /updates?limit=5", null), "query parameters go in params.query");
    assertRefused(api.call("POST /messages", new JsonObject().put("chat_id", 1).put("text", "x")),
        "params may hold only 'query' and 'body', got 'chat_id'");
    assertRefused(api.call("POST /messages", new JsonObject().put("body", "x")), "params.body must be a JSON object");
    assertRefused(api.subscribe("http://bot.example.com/webhook/max", null, null), "https");
    assertRefused(api.subscribe("https://bot.example.com/webhook/max", null, "abc"), "secret may hold only");
    assertRefused(api.getUpdates(null, 91, 100, null), "timeoutSeconds must be between 0 and 90");
    assertRefused(api.answerCallback("cb.1", null, null), "a notification, a message or both");
    assertEquals(0, max.received().size(), "nothing reached MAX");
  }

  @Test
  void aRefusalFromMaxIsFinalAndCarriesItsCodeAndMessage() throws Exception {
    String otherToken = "someOtherBotsToken_0123456789abcdef";
    MaxApiClient stranger = client(new SplitbotConfig.Max(otherToken, max.url(), "polling", null, null, 30));
    CountingGuard guard = new CountingGuard();

    MaxApiException refused = assertInstanceOf(MaxApiException.class, failureOf(stranger.call("POST /messages",
        new JsonObject().put("query", new JsonObject().put("chat_id", 1)).put("body", new JsonObject().put("text", "hi")),
        guard)));

    assertEquals(401, refused.errorCode());
    assertEquals("verify.token", refused.errorKey());
    assertEquals("Invalid access_token", refused.description());
    assertEquals("MAX API POST /messages failed: 401 verify.token: Invalid access_token", refused.getMessage());
    assertEquals(1, max.received().size(), "a 401 is not sent again");
    assertEquals(List.of(1, 1), guard.counts(), "one attempt, and the ledger hears it had no effect");

    // MAX counts a text longer than this client does (an emoji is two of its characters): its 400 is final too.
    MaxApiException tooLong = assertInstanceOf(MaxApiException.class,
        failureOf(client().sendMessage(Recipient.chat(1), "😀".repeat(2001), null)));
    assertEquals(400, tooLong.errorCode());
    assertEquals("text.too.long", tooLong.errorKey());
    assertEquals(2, max.received().size());
  }

  @Test
  void aRateLimitWithoutAWaitIsResentAfterABackoffAndALongWaitIsLeftForLater() throws Exception {
    MaxApiClient api = client();
    max.thenTooManyRequests(null);
    CountingGuard guard = new CountingGuard();

    Object sent = await(api.call("POST /messages", new JsonObject().put("query", new JsonObject().put("chat_id", 3))
        .put("body", new JsonObject().put("text", "after the wait")), guard));

    assertEquals("after the wait", ((JsonObject) sent).getJsonObject("message").getJsonObject("body").getString("text"));
    List<Received> all = max.received();
    assertEquals(2, all.size());
    long gapMs = TimeUnit.NANOSECONDS.toMillis(all.get(1).atNanos() - all.get(0).atNanos());
    assertTrue(gapMs >= 740, "resent after " + gapMs + " ms, before a backoff of 1 s ± 25 %");
    assertEquals(1, api.calls429());
    assertEquals(List.of(2, 1), guard.counts(), "two attempts, the first one known not delivered");

    // A wait longer than the client holds a call fails it at once, and that chat's next call too.
    max.thenTooManyRequests("120");
    MaxApiException later = assertInstanceOf(MaxApiException.RateLimited.class,
        failureOf(api.sendMessage(Recipient.chat(4), "frozen", null)));
    assertTrue(RetryLater.in(later));
    assertEquals(120, later.retryAfterSeconds());
    assertInstanceOf(MaxApiException.RateLimited.class, failureOf(api.sendMessage(Recipient.chat(4), "still", null)));
    await(api.sendMessage(Recipient.chat(5), "another chat is not held up", null));
    assertEquals(4, max.received().size());
  }

  @Test
  void maxsServerTroubleIsRetriedButAProxyErrorOnASendIsNotRepeated() throws Exception {
    MaxApiClient api = client();
    max.then(503, MaxLikeServer.error("service.unavailable", "Service is temporarily unavailable"));

    await(api.sendMessage(Recipient.chat(6), "survives a 503", null));

    List<Received> all = max.received();
    assertEquals(2, all.size());
    assertTrue(all.get(1).atNanos() - all.get(0).atNanos() >= TimeUnit.MILLISECONDS.toNanos(140), "no backoff");

    // A 502 page from a proxy says nothing of whether MAX sent the message: it is not sent twice.
    max.thenProxyPage(502);
    MaxApiException lost = assertInstanceOf(MaxApiException.Unanswered.class,
        failureOf(api.sendMessage(Recipient.chat(6), "maybe sent", null)));
    assertTrue(OutcomeUnknown.in(lost), "the effect ledger keeps it begun");
    assertEquals(3, max.received().size());
    // A read is safe to repeat.
    max.thenProxyPage(502);
    assertEquals("splitbot_test_bot", await(api.getMe()).getString("username"));
    assertEquals(5, max.received().size());
  }

  @Test
  void aRequestThatHangsEndsWithItsOutcomeUnknownAndIsNotSentAgain() throws Exception {
    MaxApiClient api = client(new SplitbotConfig.Max(TOKEN, max.url(), "polling", null, null, 30), 500);
    max.thenHang();
    CountingGuard guard = new CountingGuard();
    long started = System.nanoTime();

    Throwable failure = failureOf(api.call("POST /messages", new JsonObject()
        .put("query", new JsonObject().put("chat_id", 8)).put("body", new JsonObject().put("text", "once")), guard));

    MaxApiException lost = assertInstanceOf(MaxApiException.Unanswered.class, failure);
    assertTrue(OutcomeUnknown.in(lost));
    assertTrue(lost.getMessage().contains("it may have been carried out"), lost.getMessage());
    assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    assertEquals(1, max.received().size(), "a message that may have been sent is not sent again");
    assertEquals(List.of(1, 0), guard.counts(), "begun, and never said to be undelivered");

    max.thenHang();
    assertEquals(7, await(api.getMe()).getLong("user_id"));
    assertEquals(3, max.received().size(), "the read was sent again after its timeout");
  }

  @Test
  void theTokenReachesNoLogLineExceptionOrUrl() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      MaxApiClient api = client(new SplitbotConfig.Max(TOKEN, max.url(), "polling", null, null, 30), 500);
      List<Throwable> failures = new ArrayList<>();
      max.then(500, MaxLikeServer.error("internal.error", "Internal error")).then(401,
          MaxLikeServer.error("verify.token", "Invalid access_token"));
      failures.add(failureOf(api.sendMessage(Recipient.chat(9), "one", null)));
      max.thenProxyPage(502);
      failures.add(failureOf(api.sendMessage(Recipient.chat(9), "two", null)));
      max.thenHang();
      failures.add(failureOf(api.sendMessage(Recipient.chat(9), "three", null)));
      failures.add(failureOf(api.call("GET /nowhere", null)));

      for (Throwable failure : failures) {
        assertFalse(String.valueOf(failure).contains(TOKEN), String.valueOf(failure));
      }
      assertFalse(api.toString().contains(TOKEN), api.toString());
      max.received().forEach(r -> assertFalse(r.uri().contains(TOKEN), r.uri()));
      assertTrue(logs.messages().stream().anyMatch(m -> m.contains("MAX API POST /messages")), "expected retry warnings");
      logs.assertNoSecret();
    }
  }

  @Test
  void messagesToOneChatArriveInOrderAcrossRetries() throws Exception {
    MaxApiClient api = client();
    max.then(503, MaxLikeServer.error("service.unavailable", "Service is temporarily unavailable"));
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sends.add(api.sendMessage(Recipient.chat(10), "m" + i, null));
    }

    await(Future.all(sends));

    List<String> arrived = max.received().stream().map(r -> r.body().getString("text")).toList();
    assertEquals(List.of("m0", "m0", "m1", "m2", "m3", "m4"), arrived);
  }

  @Test
  void theClientKeepsToThirtyRequestsASecond() throws Exception {
    MaxApiClient api = client();
    List<Future<JsonObject>> calls = new ArrayList<>();
    for (int i = 0; i < 45; i++) {
      calls.add(api.getMe());
    }

    await(Future.all(calls));

    List<Long> at = max.received().stream().map(Received::atNanos).sorted().toList();
    assertEquals(45, at.size());
    long first = at.get(0);
    long withinASecond = at.stream().filter(t -> t - first < TimeUnit.SECONDS.toNanos(1)).count();
    assertTrue(withinASecond <= 31, withinASecond + " requests in the first second");
    assertTrue(at.get(44) - first >= TimeUnit.MILLISECONDS.toNanos(1300),
        "45 requests in " + (at.get(44) - first) / 1_000_000 + " ms");
  }

  @Test
  void recordedSendsPassFromTheirRecordToTheWireOneAtATime() throws Exception {
    MaxApiClient api = client();
    AtomicInteger recording = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<Future<Object>> sends = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      // A store that takes 20 ms to record each begin: without the send window, all twelve would be recording at once.
      AttemptGuard slowRecord = new AttemptGuard() {
        @Override
        public Future<Void> beforeAttempt() {
          mostAtOnce.accumulateAndGet(recording.incrementAndGet(), Math::max);
          return vertx.timer(20).<Void>mapEmpty().onComplete(done -> recording.decrementAndGet());
        }

        @Override
        public Future<Void> notDelivered() {
          return Future.succeededFuture();
        }
      };
      sends.add(api.call("POST /messages", new JsonObject()
          .put("query", new JsonObject().put("chat_id", 100 + i)).put("body", new JsonObject().put("text", "m" + i)), slowRecord));
    }

    await(Future.all(sends));

    assertEquals(12, max.received().size());
    assertEquals(1, mostAtOnce.get(), "a kill can leave at most one recorded send of unknown outcome");
  }

  @Test
  void aPermitWhoseRecordTookTooLongIsReplacedBeforeTheRequestLeaves() throws Exception {
    // Two requests a second, evenly: a permit every 500 ms (625 with the guard).
    MaxApiClient api = client(new SplitbotConfig.Max(TOKEN, max.url(), "polling", null, null, 2));
    AtomicLong recordedAt = new AtomicLong();
    AttemptGuard slowRecord = new AttemptGuard() {
      @Override
      public Future<Void> beforeAttempt() {
        // The store takes 300 ms to record the begin: the permit taken before it is stale by then.
        return vertx.timer(300).map(t -> {
          recordedAt.set(System.nanoTime());
          return null;
        });
      }

      @Override
      public Future<Void> notDelivered() {
        return Future.succeededFuture();
      }
    };

    await(api.call("POST /messages", new JsonObject()
        .put("query", new JsonObject().put("chat_id", 300)).put("body", new JsonObject().put("text", "late")), slowRecord));

    long waitedMs = TimeUnit.NANOSECONDS.toMillis(max.received().get(0).atNanos() - recordedAt.get());
    assertTrue(waitedMs >= 200, "the request waited for a fresh permit (the next one is 625 ms after the first) instead of "
        + "leaving on the stale one: it left " + waitedMs + " ms after its record");
  }

  // ---------------------------------------------------------------- helpers

  private MaxApiClient client() {
    return client(new SplitbotConfig.Max(TOKEN, max.url(), "polling", null, null, 30));
  }

  private MaxApiClient client(SplitbotConfig.Max config) {
    return client(config, 30_000);
  }

  private MaxApiClient client(SplitbotConfig.Max config, long requestTimeoutMs) {
    MaxApiClient api = new MaxApiClient(vertx, config, RateGate.Factory.LOCAL, requestTimeoutMs);
    clients.add(api);
    return api;
  }

  private void assertRequest(int index, String verb, String path, String param, String value, JsonObject body) {
    Received r = max.received().get(index);
    assertEquals(verb + " " + path, r.verb() + " " + r.path());
    assertEquals(value, r.query().get(param));
    assertEquals(TOKEN, r.authorization());
    assertEquals(body, r.body());
  }

  private static void assertRefused(Future<?> call, String expected) throws Exception {
    MaxApiException.NotSent refused = assertInstanceOf(MaxApiException.NotSent.class, failureOf(call));
    assertTrue(refused.getMessage().contains(expected), refused.getMessage());
  }

  /** Counts the attempts the client announces and those it reports as certainly not delivered. */
  private static final class CountingGuard implements AttemptGuard {
    private final AtomicInteger before = new AtomicInteger();
    private final AtomicInteger notDelivered = new AtomicInteger();

    @Override
    public Future<Void> beforeAttempt() {
      before.incrementAndGet();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> notDelivered() {
      notDelivered.incrementAndGet();
      return Future.succeededFuture();
    }

    List<Integer> counts() {
      return List.of(before.get(), notDelivered.get());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future not complete after 20 s");
    }
  }

  private static Throwable failureOf(Future<?> future) throws Exception {
    try {
      Object value = future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      return fail("expected a failure, got " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** Every log event of the run, at DEBUG for the shared code, checked raw (before any masking converter). */
  private static final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger shared = (Logger) LoggerFactory.getLogger("io.splitbot.shared");
    private final Level previous = shared.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
      appender.start();
      root.addAppender(appender);
      shared.setLevel(Level.DEBUG);
    }

    List<String> messages() {
      List<String> out = new ArrayList<>();
      synchronized (appender.list) {
        for (ILoggingEvent event : appender.list) {
          out.add(event.getFormattedMessage());
          for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            out.add(t.getClassName() + ": " + t.getMessage());
          }
        }
      }
      return out;
    }

    void assertNoSecret() {
      for (String line : messages()) {
        assertFalse(line.contains(TOKEN), "token in a log line: " + line);
      }
    }

    @Override
    public void close() {
      root.detachAppender(appender);
      shared.setLevel(previous);
    }
  }
}
