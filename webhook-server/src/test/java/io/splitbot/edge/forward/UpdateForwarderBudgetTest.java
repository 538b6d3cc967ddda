package io.splitbot.edge.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.edge.EdgeStats;
import io.splitbot.edge.routing.LegacyWebhookClient;
import io.splitbot.edge.spool.FileSpool;
import io.splitbot.edge.spool.Spool;
import io.splitbot.edge.spool.SpoolFeed;
import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.bus.BusMessages;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.deadletter.DeadLetter;
import io.splitbot.shared.deadletter.DeadLetterReplayer;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.shared.deadletter.FileDeadLetterStore;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder's budget: refusals are counted and end in the edge's dead letters, outages are not, and a dead
 * letter frees its chat (in order) and its delivery slot. A consumer on the worker's address plays the worker and
 * fails the request with the code each case needs; backoff is shortened so the cases run in a moment.
 */
@ExtendWith(VertxExtension.class)
class UpdateForwarderBudgetTest {
  private static final int MAX_ATTEMPTS = 3;
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private Vertx vertx;
  private Context ctx;
  private Spool spool;
  private DeadLetterStore store;
  private final EdgeStats stats = new EdgeStats();
  private UpdateForwarder forwarder;
  /** Every delivery the fake worker saw, in order, as "id:answer". */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  private void start(Vertx vertx, int concurrency, long timeoutMs, DeadLetterStore store, LegacyWebhookClient legacy) throws Exception {
    start(vertx, concurrency, timeoutMs, store, legacy, true);
  }

  /** @param fed whether the spool feeds the forwarder; if not, a test submits to it as a partition's holder would. */
  private void start(Vertx vertx, int concurrency, long timeoutMs, DeadLetterStore store, LegacyWebhookClient legacy,
      boolean fed) throws Exception {
    this.vertx = vertx;
    this.ctx = vertx.getOrCreateContext();
    this.spool = new FileSpool(vertx, dir.resolve("spool"), 1000);
    this.store = store != null ? store : new FileDeadLetterStore(vertx, dir.resolve("edge-dead-letters"));
    SplitbotConfig.Delivery settings = new SplitbotConfig.Delivery("file", 1000, timeoutMs, concurrency, MAX_ATTEMPTS, 1, false, false, 1);
    forwarder = new UpdateForwarder(vertx, spool, this.store, stats, settings, legacy, new Backoff(2, 20));
    // Opened on the forwarder's event loop, as the edge does: the spool feeds it there.
    SpoolFeed feed = fed ? forwarder : new SpoolFeed() {
      @Override
      public void submit(UpdateEnvelope update, SpoolFence fence) {
      }

      @Override
      public void revoke(int partition) {
      }

      @Override
      public Future<Void> idle(int partition) {
        return Future.succeededFuture();
      }
    };
    await(Future.<Void>future(p -> ctx.runOnContext(v -> spool.open(feed).onComplete(p))));
  }

  private void start(Vertx vertx) throws Exception {
    start(vertx, 16, 2_000, null, null);
  }

  @AfterEach
  void close() throws Exception {
    if (spool != null) {
      await(spool.close());
    }
  }

  @Test
  void anUpdateRefusedEveryAttemptIsADeadLetterAndLeavesTheSpool(Vertx vertx) throws Exception {
    start(vertx);
    worker(id -> id == 1 ? 400 : 0);
    submit(update(1, "a"));

    DeadLetter letter = awaitLetter(1);
    assertEquals(MAX_ATTEMPTS, letter.attempts());
    assertTrue(letter.error().contains("refused it (400)"), letter.error());
    assertFalse(letter.replayRequested());
    awaitTrue(() -> spool.size() == 0);
    assertEquals(List.of("1:400", "1:400", "1:400"), seen, "exactly the budget, then no more");
    assertEquals(1, stats.deadLettered.get());
  }

  @Test
  void noWorkerAndRetryLaterSpendNothing(Vertx vertx) throws Exception {
    start(vertx);
    submit(update(2, "a"));
    // No worker registered: NO_HANDLERS, again and again, past the budget.
    awaitTrue(() -> stats.retried.get() > MAX_ATTEMPTS);

    AtomicInteger laterAnswers = new AtomicInteger();
    worker(id -> laterAnswers.incrementAndGet() <= MAX_ATTEMPTS + 2 ? HandleReply.RETRY_LATER : 0);
    awaitTrue(() -> seen.contains("2:handled"));

    assertEquals(MAX_ATTEMPTS + 3, seen.size(), "every 503 was retried: " + seen);
    assertEquals(0, await(store.count()));
    assertEquals(0, stats.deadLettered.get());
    awaitTrue(() -> spool.size() == 0);
  }

  @Test
  void theChatsNextUpdatesGoInOrderOnceTheRefusedOneIsADeadLetter(Vertx vertx) throws Exception {
    start(vertx);
    worker(id -> id == 10 ? 422 : 0);
    submit(update(10, "a"));
    submit(update(11, "a"));
    submit(update(12, "a"));

    awaitTrue(() -> seen.contains("12:handled"));
    assertEquals(List.of("10:422", "10:422", "10:422", "11:handled", "12:handled"), seen);
    assertEquals(1, await(store.count()));
  }

  @Test
  void aRefusedChatGivesBackItsDeliverySlot(Vertx vertx) throws Exception {
    // One slot: before the budget, this one refused chat stopped all forwarding.
    start(vertx, 1, 2_000, null, null);
    worker(id -> id == 20 ? 400 : 0);
    submit(update(20, "stuck"));
    for (long id = 21; id <= 25; id++) {
      submit(update(id, "other-" + id));
    }
    awaitTrue(() -> seen.stream().filter(s -> s.endsWith(":handled")).count() == 5);
    awaitLetter(20);
    awaitTrue(() -> spool.size() == 0);
  }

  @Test
  void aWorkerThatTimesOutSpendsTheBudgetOnlyWhileItAnswersPings(Vertx vertx) throws Exception {
    start(vertx, 16, 200, null, null);
    // A handler that never finishes: the worker takes the update and never replies.
    MessageConsumer<Object> hung = vertx.eventBus().consumer(Addresses.WORKER_UPDATES,
        msg -> seen.add(BusMessages.update(msg.body()).order() + ":hung"));
    await(hung.completion());
    submit(update(30, "a"));

    // No ping answers: the worker is gone as far as the edge can tell, so the timeouts are an outage.
    awaitTrue(() -> stats.retried.get() > MAX_ATTEMPTS + 1);
    assertEquals(0, await(store.count()));

    MessageConsumer<JsonObject> ping = vertx.eventBus().consumer(Addresses.WORKER_PING, msg -> msg.reply(new JsonObject()));
    await(ping.completion());
    DeadLetter letter = awaitLetter(30);
    assertEquals(MAX_ATTEMPTS, letter.attempts());
    assertTrue(letter.error().contains("answers pings"), letter.error());
  }

  @Test
  void aDeadLetterThatCannotBeStoredIsTriedAgainAndHoldsTheChatMeanwhile(Vertx vertx) throws Exception {
    Queue<String> events = new ConcurrentLinkedQueue<>();
    AtomicInteger puts = new AtomicInteger();
    DeadLetterStore files = new FileDeadLetterStore(vertx, dir.resolve("edge-dead-letters"));
    DeadLetterStore flaky = new ForwardingStore(files) {
      @Override
      public Future<Void> put(DeadLetter letter) {
        if (puts.incrementAndGet() <= 2) {
          events.add("put failed");
          return Future.failedFuture(new IllegalStateException("store down"));
        }
        events.add("put");
        return super.put(letter);
      }
    };
    start(vertx, 16, 2_000, flaky, null);
    worker(id -> {
      events.add("deliver " + id);
      return id == 40 ? 400 : 0;
    });
    submit(update(40, "a"));
    submit(update(41, "a"));

    awaitTrue(() -> seen.contains("41:handled"));
    assertEquals(List.of("deliver 40", "deliver 40", "deliver 40", "put failed", "put failed", "put", "deliver 41"),
        List.copyOf(events), "the chat waits until the letter is stored");
    assertEquals(1, await(files.count()));
  }

  @Test
  void aReplayGetsAFreshBudgetAndTheLetterGoesOnceDelivered(Vertx vertx) throws Exception {
    start(vertx);
    AtomicInteger refuse = new AtomicInteger(1);
    worker(id -> refuse.get() == 1 ? 400 : 0);
    submit(update(50, "a"));
    awaitLetter(50);
    ctx.runOnContext(v -> new DeadLetterReplayer(vertx, store, forwarder::replay, 50).start());

    // Still refused: a fresh budget is spent, and the letter comes back with the new error and no replay flag.
    await(store.requestReplay("50"));
    awaitTrue(() -> seen.size() == 2 * MAX_ATTEMPTS && !letter(50).replayRequested());
    assertEquals(MAX_ATTEMPTS, letter(50).attempts());

    refuse.set(0);
    await(store.requestReplay("50"));
    awaitTrue(() -> letter(50) == null);
    assertEquals("50:handled", seen.get(seen.size() - 1));
    awaitTrue(() -> spool.size() == 0);
    assertEquals(2, stats.deadLettered.get());
  }

  @Test
  void aForwardRefusedAsNotYoursLeavesThisEdgesQueueButNotTheSpoolAndSpendsNothing(Vertx vertx) throws Exception {
    start(vertx, 16, 2_000, null, null, false);
    List<String> headers = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.WORKER_UPDATES, (Message<Object> msg) -> {
      long id = BusMessages.update(msg.body()).order();
      headers.add(id + ":" + msg.headers().get(SpoolFence.PARTITION_HEADER) + "/" + msg.headers().get(SpoolFence.EPOCH_HEADER));
      if (id == 70) {
        msg.fail(HandleReply.NOT_YOURS, "another edge holds its spool partition");
      } else {
        msg.reply(HandleReply.HANDLED.toJson());
      }
    });
    await(consumer.completion());
    // Spooled, then fed by a partition's holder under epoch 7 of partition 3, as a Redis spool does.
    await(spool.append(update(70, "a")));
    ctx.runOnContext(v -> forwarder.submit(update(70, "a"), new SpoolFence(3, 7)));

    awaitTrue(() -> !headers.isEmpty());
    awaitTrue(() -> forwarder.pending() == 0);
    assertEquals(List.of("70:3/7"), headers, "sent once, with its fence");
    assertEquals(0, stats.retried.get(), "not retried");
    assertEquals(null, letter(70), "not a dead letter");
    assertEquals(1, spool.size(), "left in the spool for the partition's new holder");

    await(spool.append(update(71, "b")));
    ctx.runOnContext(v -> forwarder.submit(update(71, "b"), null)); // a file spool's updates carry no fence
    awaitTrue(() -> headers.contains("71:null/null"));
    awaitTrue(() -> spool.size() == 1);
  }

  @Test
  void theLegacyBotsLaterAnswersWaitAndItsOtherAnswersAreRefusals(Vertx vertx) throws Exception {
    Queue<Integer> answers = new ArrayDeque<>(List.of(503, 502, 429, 504, 500, 503, 404, 400));
    AtomicInteger requests = new AtomicInteger();
    HttpServer legacyBot = vertx.createHttpServer().requestHandler(req -> {
      requests.incrementAndGet();
      Integer status;
      synchronized (answers) {
        status = answers.poll();
      }
      req.response().setStatusCode(status == null ? 200 : status).end();
    });
    await(legacyBot.listen(0, "127.0.0.1"));
    LegacyWebhookClient legacy = new LegacyWebhookClient(vertx, "http://127.0.0.1:" + legacyBot.actualPort() + "/hook",
        null, 2_000, 4);
    start(vertx, 16, 2_000, null, legacy);
    submit(update(60, "a").routedTo(UpdateEnvelope.ROUTE_LEGACY));

    DeadLetter letter = awaitLetter(60);
    assertEquals(8, requests.get(), "five outage answers cost nothing; 500, 404 and 400 spend the three attempts");
    assertEquals(MAX_ATTEMPTS, letter.attempts());
    assertTrue(letter.error().contains("answered 400"), letter.error());
    assertTrue(letter.update().forLegacy(), "a replay goes where the update was routed");
    assertEquals(7, stats.legacyRetried.get(), "every failure but the last is retried");
  }

  /** A fake worker: {@code answer} gives the failure code for an update_id, or 0 to handle it. */
  private void worker(java.util.function.LongToIntFunction answer) throws Exception {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(Addresses.WORKER_UPDATES, (Message<Object> msg) -> {
      long id = BusMessages.update(msg.body()).order();
      int code = answer.applyAsInt(id);
      if (code == 0) {
        seen.add(id + ":handled");
        msg.reply(HandleReply.HANDLED.toJson());
      } else {
        seen.add(id + ":" + code);
        msg.fail(code, code == HandleReply.RETRY_LATER ? "worker is shutting down" : "not an update envelope");
      }
    });
    await(consumer.completion());
  }

  private static UpdateEnvelope update(long id, String chat) {
    return new UpdateEnvelope(UpdateEnvelope.TELEGRAM, Long.toString(id), "telegram:" + chat, id,
        "{\"update_id\":" + id + ",\"message\":{\"chat\":{\"id\":1},\"text\":\"hi\"}}");
  }

  /** Spools the update on the forwarder's event loop, as the webhook does; the spool feeds it to the forwarder. */
  private void submit(UpdateEnvelope update) throws Exception {
    await(Future.<Void>future(p -> ctx.runOnContext(v -> spool.append(update).onComplete(ar -> p.handle(ar.mapEmpty())))));
  }

  private DeadLetter letter(long id) {
    try {
      return await(store.get(Long.toString(id)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private DeadLetter awaitLetter(long id) throws Exception {
    awaitTrue(() -> letter(id) != null);
    return letter(id);
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(20);
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** A store that passes every call on; a test overrides the one it wants to break. */
  private static class ForwardingStore implements DeadLetterStore {
    private final DeadLetterStore inner;

    ForwardingStore(DeadLetterStore inner) {
      this.inner = inner;
    }

    @Override
    public Future<Void> put(DeadLetter letter) {
      return inner.put(letter);
    }

    @Override
    public Future<List<DeadLetter>> list() {
      return inner.list();
    }

    @Override
    public Future<Integer> count() {
      return inner.count();
    }

    @Override
    public Future<List<String>> replayRequested() {
      return inner.replayRequested();
    }

    @Override
    public Future<DeadLetter> get(String updateId) {
      return inner.get(updateId);
    }

    @Override
    public Future<Boolean> remove(String updateId) {
      return inner.remove(updateId);
    }

    @Override
    public Future<Void> close() {
      return inner.close();
    }
  }
}
