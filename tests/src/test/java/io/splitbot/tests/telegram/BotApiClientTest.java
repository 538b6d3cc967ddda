package io.splitbot.tests.telegram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.retry.OutcomeUnknown;
import io.splitbot.shared.retry.RetryLater;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.shared.telegram.BotApiException;
import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.testkit.FakeTelegramApi.RecordedCall;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The Bot API client against the fake Telegram: what arrives there, when, and what the caller sees. */
class BotApiClientTest {
  private static final String TOKEN = "123456789:AAHfakeTokenForTests_0123456789abcdef";
  private static final String TOKEN_SECRET_PART = TOKEN.substring(TOKEN.indexOf(':') + 1);

  private Vertx vertx;
  private FakeTelegramApi fake;
  private final List<BotApiClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeTelegramApi(vertx, TOKEN);
    await(fake.start());
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(BotApiClient::close);
    await(fake.stop());
    await(vertx.close());
  }

  @Test
  void sendMessageArrivesWithTextIntactAndResultParsed() throws Exception {
    BotApiClient api = client(1);
    String text = "Заявка 250927-001 créée ✅ <b>&</b>";
    JsonObject markup = new JsonObject().put("inline_keyboard", new JsonArray()
        .add(new JsonArray().add(new JsonObject().put("text", "Open").put("callback_data", "open:1"))));

    JsonObject message = await(api.sendMessage("42", text, new JsonObject().put("reply_markup", markup)));

    assertEquals(1, message.getLong("message_id"));
    assertEquals(42, message.getJsonObject("chat").getLong("id"));
    assertEquals(text, message.getString("text"));
    assertEquals(markup, message.getJsonObject("reply_markup"));
    List<RecordedCall> sent = fake.calls("sendMessage");
    assertEquals(1, sent.size());
    assertEquals(text, sent.get(0).params().getString("text"));
    assertEquals("123456789", String.valueOf(await(api.getMe()).getLong("id")));
  }

  @Test
  void rateLimitedMessageIsResentAfterRetryAfterExactlyOnce() throws Exception {
    BotApiClient api = client(1);
    fake.injectRateLimit("sendMessage", 1, 1);
    long started = System.nanoTime();

    await(api.sendMessage("42", "after the flood wait", null));

    assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(1000), "resent before retry_after");
    List<RecordedCall> all = fake.allCalls("sendMessage");
    assertEquals(List.of(429, 200), all.stream().map(RecordedCall::status).toList());
    assertTrue(all.get(1).atNanos() - all.get(0).atNanos() >= TimeUnit.MILLISECONDS.toNanos(990));
    assertEquals(1, fake.calls("sendMessage").size());
    assertEquals(1, api.calls429());
  }

  @Test
  void badGatewayTwiceThenSuccessDeliversOneMessage() throws Exception {
    BotApiClient api = client(1);
    fake.injectError("sendMessage", 2, 502, "Bad Gateway");

    JsonObject message = await(api.sendMessage("42", "survives two 502s", null));

    assertEquals("survives two 502s", message.getString("text"));
    assertEquals(List.of(502, 502, 200), fake.allCalls("sendMessage").stream().map(RecordedCall::status).toList());
    assertEquals(1, fake.calls("sendMessage").size());
  }

  @Test
  void badRequestFailsAtOnceAndNeverShowsTheToken() throws Exception {
    try (LogCapture logs = new LogCapture()) {
      BotApiClient api = client(1);
      fake.injectError("sendMessage", 1, 500, "Internal Server Error"); // a retry that logs a warning

      Throwable failure = failureOf(api.sendMessage("not a chat", "hello", null));

      BotApiException e = assertInstanceOf(BotApiException.class, failure);
      assertEquals("sendMessage", e.method());
      assertEquals(400, e.errorCode());
      assertEquals("Bad Request: chat not found", e.description());
      assertEquals("Bot API sendMessage failed: 400 Bad Request: chat not found", e.getMessage());
      assertEquals(List.of(500, 400), fake.allCalls("sendMessage").stream().map(RecordedCall::status).toList());
      assertFalse(e.toString().contains(TOKEN_SECRET_PART));
      assertFalse(api.toString().contains(TOKEN_SECRET_PART), api.toString());
      logs.assertNoSecret();
      assertTrue(logs.messages().stream().anyMatch(m -> m.contains("sendMessage")), "expected a retry warning");
    }
  }

  @Test
  void networkErrorsAreRetriedThenFailWithoutTheToken() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (LogCapture logs = new LogCapture()) {
      BotApiClient api = client(telegram("http://127.0.0.1:" + closedPort, 1));
      long started = System.nanoTime();

      BotApiException e = assertInstanceOf(BotApiException.class, failureOf(api.getMe()));

      assertEquals(0, e.errorCode());
      assertEquals("getMe", e.method());
      assertTrue(e.getMessage().startsWith("Bot API getMe failed: network error"), e.getMessage());
      assertFalse(e.getMessage().contains(TOKEN_SECRET_PART));
      // Five backoffs of 200, 400, 800, 1600, 3200 ms, each within ±25 %.
      assertTrue(System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(4500), "gave up too early");
      logs.assertNoSecret();
    }
  }

  @Test
  void throttleKeepsWithinTelegramFloodLimits() throws Exception {
    BotApiClient api = client(1);
    fake.enforceFloodLimits(true);
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      sends.add(api.sendMessage("1001", "private " + i, null));
    }
    // Well under the global limit's 30 a second with the rest, so a private chat's burst is what the first second
    // shows, however the private and the group lanes interleave in the global window.
    for (int i = 0; i < 10; i++) {
      sends.add(api.sendMessage(String.valueOf(2001 + i), "one of many", null));
    }
    for (int i = 0; i < 20; i++) {
      sends.add(api.sendMessage("-100777", "group " + i, null));
    }
    Future<JsonObject> overGroupLimit = api.sendMessage("-100777", "group 20", null);

    await(Future.all(sends), 15);

    assertEquals(0, fake.floodRejections());
    assertEquals(0, api.calls429());
    List<Long> privateArrivals = arrivals("1001");
    assertEquals(8, privateArrivals.size());
    long first = privateArrivals.get(0);
    // Without the burst the third would come 2 s after the first (one a second); the bound sits well clear of both,
    // so a loaded machine's scheduling delays do not decide it.
    assertTrue(privateArrivals.get(2) - first < TimeUnit.MILLISECONDS.toNanos(1500),
        "burst of 3 not allowed: the third came " + (privateArrivals.get(2) - first) / 1_000_000 + " ms after the first");
    assertTrue(privateArrivals.get(7) - first >= TimeUnit.MILLISECONDS.toNanos(4500),
        "8th private message came " + (privateArrivals.get(7) - first) / 1_000_000 + " ms after the first");
    // Three at once, then one a second: by t seconds after the first, at most 3 + t (200 ms of slack, as the fake).
    for (int i = 3; i < 8; i++) {
      assertTrue(privateArrivals.get(i) - first >= TimeUnit.MILLISECONDS.toNanos((i - 2) * 1000L - 200),
          "private messages at " + privateArrivals.stream().map(t -> (t - first) / 1_000_000).toList() + " ms");
    }
    assertEquals(20, arrivals("-100777").size());
    // The 21st group message waits for the 60 s window, and closing the client fails it cleanly.
    assertFalse(overGroupLimit.isComplete());
    clients.forEach(BotApiClient::close);
    BotApiException closed = assertInstanceOf(BotApiException.class, failureOf(overGroupLimit));
    assertEquals("sendMessage", closed.method());
    assertEquals(20, arrivals("-100777").size());
  }

  @Test
  void messagesToOneChatArriveInOrderAcrossThrottleWaitsAndRetries() throws Exception {
    BotApiClient api = client(5); // burst 5, then 5 per second: 20 messages take about 3 s
    fake.injectError("sendMessage", 1, 502, "Bad Gateway"); // the first message is resent after a backoff
    fake.injectRateLimit("sendMessage", 1, 1);              // ... and then waits 1 s more
    List<Future<JsonObject>> sends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sends.add(api.sendMessage("77", "m" + i, null));
    }

    await(Future.all(sends), 15);

    List<String> texts = fake.calls("sendMessage").stream().map(c -> c.params().getString("text")).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add("m" + i);
      assertEquals(i + 1, sends.get(i).result().getLong("message_id"));
    }
    assertEquals(expected, texts);
  }

  @Test
  void getUpdatesReturnsAsSoonAsAnUpdateArrivesAndConflictsWithAWebhook() throws Exception {
    BotApiClient api = client(1);
    Future<JsonArray> poll = api.getUpdates(0, 20, List.of("message"));
    Thread.sleep(300);
    assertFalse(poll.isComplete(), "the long poll should wait for updates");
    long enqueued = System.nanoTime();
    fake.enqueueUpdate(new JsonObject().put("update_id", 10)
        .put("message", new JsonObject().put("message_id", 1).put("text", "hi")));

    JsonArray batch = await(poll);

    assertTrue(System.nanoTime() - enqueued < TimeUnit.SECONDS.toNanos(2), "long poll was not released at once");
    assertEquals(10, batch.getJsonObject(0).getLong("update_id"));
    assertEquals(0, await(api.getUpdates(11, 0, null)).size());
    assertEquals(List.of(0L, 11L), fake.offsetsSeen());
    assertEquals(0, fake.pendingUpdates());

    await(api.setWebhook("https://bot.example.com/webhook/telegram", "s3cret_-", List.of("message"), 40));
    assertEquals("s3cret_-", fake.webhookInfo().getString("secret_token"));
    BotApiException conflict = assertInstanceOf(BotApiException.class, failureOf(api.getUpdates(11, 0, null)));
    assertEquals(409, conflict.errorCode());
    assertTrue(conflict.description().contains("webhook is active"), conflict.description());
    assertEquals(1, fake.allCalls("getUpdates").stream().filter(c -> c.status() == 409).count(), "409 was retried");

    await(api.deleteWebhook(false));
    assertEquals(0, await(api.getUpdates(11, 0, null)).size());
  }

  @Test
  void secondPollerTerminatesTheFirst() throws Exception {
    BotApiClient first = client(1);
    BotApiClient second = client(1);
    Future<JsonArray> earlier = first.getUpdates(0, 20, null);
    waitUntil(() -> fake.offsetsSeen().size() == 1); // the first poll is parked at the fake
    Future<JsonArray> later = second.getUpdates(0, 1, null);

    BotApiException e = assertInstanceOf(BotApiException.class, failureOf(earlier));
    assertEquals(409, e.errorCode());
    assertTrue(e.description().startsWith("Conflict: terminated by other getUpdates request"), e.description());
    assertEquals(0, await(later).size());
  }

  @Test
  void aRetryAfterLongerThanTheCapFailsAtOnceAndHoldsUpNoOtherChat() throws Exception {
    BotApiClient api = client(1);
    fake.rateLimitChat("42", 86_400);

    BotApiException first = assertInstanceOf(BotApiException.RateLimited.class, failureOf(api.sendMessage("42", "frozen", null)));
    assertEquals(86_400, first.retryAfterSeconds());
    assertTrue(RetryLater.in(first), "the pipeline tries the update again later instead of spending an attempt");
    assertEquals("not held up", await(api.sendMessage("43", "not held up", null)).getString("text"));

    // The chat's next call fails at once, without asking Telegram again.
    BotApiException again = assertInstanceOf(BotApiException.RateLimited.class, failureOf(api.sendMessage("42", "still frozen", null)));
    assertTrue(again.retryAfterSeconds() > 86_000, "the wait left: " + again.retryAfterSeconds());
    assertEquals(1, fake.allCalls("sendMessage").stream().filter(c -> "42".equals(String.valueOf(c.params().getValue("chat_id")))).count());
  }

  @Test
  void aRequestWhoseAnswerIsLostIsNeverSentAgainUnlessItOnlyReads() throws Exception {
    // A server that reads each request and drops the connection: the request left, no answer came back.
    java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.core.net.NetServer dropper = await(vertx.createNetServer().connectHandler(socket -> socket.handler(bytes -> {
      requests.incrementAndGet();
      socket.close();
    })).listen(0, "127.0.0.1"));
    try {
      BotApiClient api = client(telegram("http://127.0.0.1:" + dropper.actualPort(), 1));

      BotApiException lost = assertInstanceOf(BotApiException.Unanswered.class, failureOf(api.sendMessage("42", "once", null)));
      assertTrue(OutcomeUnknown.in(lost), "the effect ledger keeps it begun");
      assertEquals(1, requests.get(), "a message that may have been sent is not sent again");

      requests.set(0);
      assertInstanceOf(BotApiException.class, failureOf(api.getMe()));
      assertTrue(requests.get() > 1, "a read is repeated: " + requests.get());
    } finally {
      await(dropper.close());
    }
  }

  // ---------------------------------------------------------------- helpers

  private BotApiClient client(double chatPerSecond) {
    return client(telegram(fake.baseUrl(), chatPerSecond));
  }

  private BotApiClient client(SplitbotConfig.Telegram telegram) {
    BotApiClient api = new BotApiClient(vertx, telegram);
    clients.add(api);
    return api;
  }

  private static SplitbotConfig.Telegram telegram(String apiUrl, double chatPerSecond) {
    return new SplitbotConfig.Telegram(TOKEN, apiUrl, "polling", List.of("message", "callback_query"), 30,
        chatPerSecond, 20, 60);
  }

  private List<Long> arrivals(String chatId) {
    return fake.calls("sendMessage").stream()
        .filter(c -> c.params().getValue("chat_id").toString().equals(chatId))
        .map(RecordedCall::atNanos)
        .toList();
  }

  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("condition not met within 5 s");
      }
      Thread.sleep(10);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return await(future, 20);
  }

  private static <T> T await(Future<T> future, int seconds) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future not complete after " + seconds + " s");
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

  /** Every log event of the run, at DEBUG for the client, checked raw (before any masking converter). */
  private static final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Logger telegram = (Logger) LoggerFactory.getLogger("io.splitbot.shared.telegram");
    private final Level previous = telegram.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
      appender.start();
      root.addAppender(appender);
      telegram.setLevel(Level.DEBUG);
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
        assertFalse(line.contains(TOKEN_SECRET_PART), "token in a log line: " + line);
      }
    }

    @Override
    public void close() {
      root.detachAppender(appender);
      telegram.setLevel(previous);
    }
  }
}
