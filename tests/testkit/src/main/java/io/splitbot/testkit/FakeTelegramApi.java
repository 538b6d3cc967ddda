package io.splitbot.testkit;

import io.splitbot.worker.sandbox.BotApiEmulator;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A fake Telegram Bot API on a real HTTP server at 127.0.0.1, for end-to-end tests, in-process or for bots in other
 * JVMs (point TELEGRAM_API_URL at {@link #baseUrl()}): the runtime's {@link BotApiEmulator} (the sandbox's Bot API)
 * with a test's controls on top.
 *
 * <p>It speaks the Bot API's wire format: {@code /bot<token>/<method>}, parameters as JSON, form or query string,
 * answers {@code {"ok":true,"result":...}} or {@code {"ok":false,"error_code":N,"description":...}}. It implements
 * getMe, getUpdates (real long polling and its 409 conflicts), setWebhook, deleteWebhook, getWebhookInfo,
 * sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery, sendChatAction,
 * setMyCommands and getMyCommands (the emulator's); other methods answer 404 unless a test supplies them with
 * {@link #respondTo(String, Function)}.
 *
 * <p>It refuses what Telegram refuses in a bot's texts: a message text over 4096 characters ("message is too long"),
 * a caption over 1024 ("message caption is too long"), a callback answer over 200 ("MESSAGE_TOO_LONG"), callback_data
 * outside 1-64 bytes ("BUTTON_DATA_INVALID") and a string that is not valid UTF-8, half a surrogate pair included
 * ("strings must be encoded in UTF-8"); characters are counted in UTF-16 code units, as Telegram counts them.
 *
 * <p>Tests drive it from their own thread: every public method is thread-safe. It records each request, can answer
 * the next calls of a method with injected errors, and can enforce Telegram's flood limits. {@link BotTester} runs a
 * bot against it and talks to it as Telegram's users would.
 */
public final class FakeTelegramApi extends BotApiEmulator {

  /**
   * One request as the fake saw it: {@code atNanos} is its arrival ({@link System#nanoTime()}), status 0 if the client
   * left before an answer, and {@code result} what a successful call answered (the sent {@code Message} for
   * sendMessage, {@code true} for most others), null otherwise.
   */
  public record RecordedCall(String method, JsonObject params, long atNanos, int status, Object result) {
    public boolean ok() {
      return status == 200;
    }
  }

  // All state below is guarded by this object's monitor (the emulator's).
  private final List<RecordedCall> calls = new ArrayList<>();
  private final List<Long> offsetsSeen = new ArrayList<>();
  private final Map<String, ArrayDeque<Injected>> injected = new HashMap<>();
  private final Map<String, Function<JsonObject, Object>> custom = new HashMap<>();
  private boolean enforceFloodLimits;
  private FakeFloodControl flood = new FakeFloodControl();
  private int floodRejections;

  private final Set<String> held = new HashSet<>();
  private final Map<String, Integer> withheld = new HashMap<>();
  private final Map<String, Long> answerDelaysMs = new HashMap<>();
  private final Map<String, Integer> rateLimitedChats = new HashMap<>();
  private final ArrayDeque<JsonArray> rawUpdateResults = new ArrayDeque<>();

  /** A fake that serves the bot with this token (other tokens get 401); {@link #start()} it before use. */
  public FakeTelegramApi(Vertx vertx, String token) {
    super(vertx, token, "Splitbot Test", "splitbot_test_bot");
  }

  // ---------------------------------------------------------------- test controls

  /** Every getUpdates offset, in arrival order (0 when the call had none). */
  public synchronized List<Long> offsetsSeen() {
    return List.copyOf(offsetsSeen);
  }

  /** The next {@code times} calls of {@code method} answer 429 with {@code retry_after}. */
  public void injectRateLimit(String method, int times, int retryAfterSeconds) {
    inject(method, times, new Injected(429, "Too Many Requests: retry after " + retryAfterSeconds, retryAfterSeconds));
  }

  /** The next {@code times} calls of {@code method} answer {@code httpStatus} with {@code description}. */
  public void injectError(String method, int times, int httpStatus, String description) {
    inject(method, times, new Injected(httpStatus, description, 0));
  }

  /**
   * From now on, calls of {@code method} are carried out and recorded at once, and answered only after
   * {@code delay}: a Telegram that is slow to answer, or an answer lost on a slow network.
   */
  public synchronized void delayAnswers(String method, Duration delay) {
    answerDelaysMs.put(method, delay.toMillis());
  }

  /** Every message to {@code chatId} answers 429 with {@code retry_after} until {@link #reset()}; other chats are served. */
  public synchronized void rateLimitChat(String chatId, int retryAfterSeconds) {
    rateLimitedChats.put(chatId, retryAfterSeconds);
  }

  /**
   * The next getUpdates answers {@code {"ok":true,"result":<result>}} verbatim, whatever it holds (entries that are
   * not objects, update_ids that are not numbers): the answers a poller must survive. Releases a waiting long poll.
   */
  public void enqueueRawUpdatesResult(JsonArray result) {
    synchronized (this) {
      rawUpdateResults.add(result.copy());
      if (pollWaiting()) {
        answerWaitingPoll(ok(rawUpdateResults.poll()));
      }
    }
  }

  /** Answers {@code method} (also a built-in one) with {@code resultFor.apply(params)} as the result. */
  public synchronized void respondTo(String method, Function<JsonObject, Object> resultFor) {
    custom.put(method, resultFor);
  }

  /** Turns Telegram's flood limits on or off (off by default); see {@link FakeFloodControl}. */
  public synchronized void enforceFloodLimits(boolean enforce) {
    enforceFloodLimits = enforce;
    flood = new FakeFloodControl();
  }

  /** Messages refused with 429 because of the flood limits (not counting injected 429s). */
  public synchronized int floodRejections() {
    return floodRejections;
  }

  /** Every request, including failed and injected ones, in arrival order. */
  public synchronized List<RecordedCall> allCalls() {
    return calls.stream().sorted(Comparator.comparingLong(RecordedCall::atNanos)).toList();
  }

  /** Every request of {@code method}, whatever its answer, in arrival order. */
  public List<RecordedCall> allCalls(String method) {
    return allCalls().stream().filter(c -> c.method().equals(method)).toList();
  }

  /** The successful (200) requests of {@code method}, in arrival order. */
  public List<RecordedCall> calls(String method) {
    return allCalls().stream().filter(c -> c.method().equals(method) && c.ok()).toList();
  }

  /** The successful (200) requests, in arrival order. */
  public List<RecordedCall> calls() {
    return allCalls().stream().filter(RecordedCall::ok).toList();
  }

  /**
   * Blocks until {@code count} successful calls of {@code method} were recorded, else throws AssertionError.
   * Call it from a test thread, never from an event loop.
   */
  public void awaitCalls(String method, int count, Duration timeout) {
    await(() -> calls(method).size() >= count, timeout,
        () -> "expected " + count + " successful " + method + " calls within " + timeout + ", saw " + calls(method).size());
  }

  /**
   * Blocks until {@code condition} holds, checking it now and again each time the fake records a call; after
   * {@code timeout} throws AssertionError with {@code failure}'s message. The condition typically reads
   * {@link #calls()} or {@link #messages(String)}. Call it from a test thread, never from an event loop.
   */
  public void await(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("await blocks; do not call it on an event loop");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(failure.get());
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting: " + failure.get(), e);
        }
      }
    }
  }

  /** Back to a fresh state: no records, updates, webhook, messages, injections or overrides; flood limits off. */
  public synchronized void reset() {
    clear();
    calls.clear();
    offsetsSeen.clear();
    injected.clear();
    custom.clear();
    enforceFloodLimits = false;
    held.clear();
    withheld.clear();
    answerDelaysMs.clear();
    rateLimitedChats.clear();
    rawUpdateResults.clear();
    flood = new FakeFloodControl();
    floodRejections = 0;
  }

  /**
   * From now on, calls of {@code method} are carried out and recorded but never answered: the state of a bot
   * that crashes while its requests are at Telegram. Requests already withheld stay unanswered.
   */
  public synchronized void withholdAnswers(String method) {
    held.add(method);
  }

  /** How many calls of {@code method} arrived while their answers were withheld. */
  public synchronized int withheld(String method) {
    return withheld.getOrDefault(method, 0);
  }

  /** Undoes {@link #withholdAnswers(String)} for calls from now on. */
  public synchronized void answerAgain(String method) {
    held.remove(method);
  }

  // ---------------------------------------------------------------- the emulator's hooks

  @Override
  protected Answer injected(Exchange exchange) {
    ArrayDeque<Injected> queue = injected.get(exchange.method());
    if (queue != null && !queue.isEmpty()) {
      Injected next = queue.poll();
      return error(next.status, next.description, next.retryAfter);
    }
    return null;
  }

  @Override
  protected Function<JsonObject, Object> customAnswer(String method) {
    return custom.get(method);
  }

  @Override
  protected Answer admit(Exchange exchange) {
    String method = exchange.method();
    String chat = chatKey(exchange.params());
    if (isMessage(method) && rateLimitedChats.containsKey(chat)) {
      int retryAfter = rateLimitedChats.get(chat);
      return error(429, "Too Many Requests: retry after " + retryAfter, retryAfter);
    }
    if (enforceFloodLimits && isMessage(method)) {
      int retryAfter = flood.admit(chat, exchange.atNanos());
      if (retryAfter > 0) {
        floodRejections++;
        return error(429, "Too Many Requests: retry after " + retryAfter, retryAfter);
      }
    }
    return null;
  }

  @Override
  protected JsonArray rawUpdatesResult() {
    return rawUpdateResults.poll();
  }

  @Override
  protected void polled(long offset) {
    offsetsSeen.add(offset);
  }

  @Override
  protected void recorded(Exchange exchange, int status, Object result) {
    calls.add(new RecordedCall(exchange.method(), exchange.params().copy(), exchange.atNanos(), status, result));
  }

  @Override
  protected void deliver(Exchange exchange, Answer answer) {
    Long delayMs = answerDelaysMs.get(exchange.method());
    if (held.contains(exchange.method())) {
      // Telegram has acted on it (it is recorded as done); only the answer is kept back.
      recordOnly(exchange, answer);
      withheld.merge(exchange.method(), 1, Integer::sum);
    } else if (delayMs != null) {
      recordOnly(exchange, answer);
      vertx.setTimer(Math.max(1, delayMs), t -> write(exchange, answer));
    } else {
      respond(exchange, answer);
    }
  }

  private void inject(String method, int times, Injected failure) {
    synchronized (this) {
      ArrayDeque<Injected> queue = injected.computeIfAbsent(method, m -> new ArrayDeque<>());
      for (int i = 0; i < times; i++) {
        queue.add(failure);
      }
    }
  }

  private record Injected(int status, String description, int retryAfter) {
  }
}
