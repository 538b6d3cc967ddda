package io.splitbot.shared.http;

import io.splitbot.shared.log.LogContext;
import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.telegram.AttemptGuard;
import io.splitbot.shared.telegram.BotApiListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * The attempt loop every platform's API client runs its calls through; an {@link ApiProtocol} says how the platform's
 * requests and answers look.
 *
 * <p>Failures: a 429 waits the platform's hint and resends (up to {@value #MAX_RATE_LIMIT_RETRIES} times); without a
 * hint it backs off from 1 s with jitter. A hint longer than {@link Settings#maxRetryAfterSeconds} fails the call at
 * once with the protocol's rate-limited exception (a {@code RetryLater}), and so does every call for that chat until
 * the wait is over, so neither a connection nor another chat waits on it. The platform's own answer that the call was
 * not done (a 5xx in its error shape) and a connection that could not be made resend with exponential backoff and
 * jitter (at most {@value #MAX_TRANSIENT_ATTEMPTS} attempts). A request that left and got no answer (a timeout, a
 * reset, a 5xx that is not the platform's) may have been carried out: it fails as unanswered (an
 * {@code OutcomeUnknown}) and is never resent, unless the protocol says the call is repeatable. Any other error fails
 * at once. Every failure is an {@link ApiCallException}.
 *
 * <p>The {@link AttemptGuard} hears of each attempt just before its bytes leave, and of each attempt that certainly
 * had no effect. Throttled calls go through {@link OutgoingThrottle}: calls for one chat reach the platform in the order
 * they were made, each one only after the previous one has finished, retries included. Futures complete on the
 * caller's Vert.x context when there is one. The protocol's secret never reaches a log line or an exception.
 */
public final class RetryingApiCalls {
  /** Connections to the platform's API per client: a recorded call takes one before its ledger record is begun. */
  public static final int MAX_CONNECTIONS = 50;

  public static final int MAX_RATE_LIMIT_RETRIES = 10;
  public static final int MAX_TRANSIENT_ATTEMPTS = 6;
  /** The longest wait for a chat's permit a call keeps its connection through (well inside the request's timeout). */
  static final long MAX_HELD_MS = 2_000;
  /** How long a permit stays good before its request leaves (see {@link #stillPermitted}). */
  static final long PERMIT_FRESH_MS = 100;
  private static final long BACKOFF_BASE_MS = 200;
  private static final long BACKOFF_CAP_MS = 5_000;
  private static final long RATE_LIMIT_BACKOFF_BASE_MS = 1_000;
  private static final long RATE_LIMIT_BACKOFF_CAP_MS = 10_000;

  /**
   * One client's limits: the throttle's, the longest 429 wait a call is held for ({@code maxRetryAfterSeconds}, named
   * {@code maxRetryAfterName} in messages) and the logger its lines go to.
   */
  public record Settings(OutgoingThrottle.Limits limits, int maxRetryAfterSeconds, String maxRetryAfterName, Logger log) {
  }

  private final Vertx vertx;
  private final Context home;
  private final HttpClientAgent client;
  private final OutgoingThrottle throttle;
  private final ApiProtocol protocol;
  private final Settings settings;
  private final Logger log;
  private final String label;
  private final AtomicLong calls429 = new AtomicLong();
  private final SendWindow window;
  /** Calls waiting on a timer (a permit, a backoff) before they send again. */
  private final java.util.Set<Promise<Void>> waits = ConcurrentHashMap.newKeySet();
  /** Chats the platform told to wait longer than we hold a call: chat key → System.nanoTime() when the wait ends. */
  private final Map<String, Long> blockedChats = new ConcurrentHashMap<>();
  private volatile BotApiListener listener = BotApiListener.NONE;
  private volatile boolean closed;

  /** {@code gate} counts the limits of {@code settings} (see {@link RateGate.Factory}). */
  public RetryingApiCalls(Vertx vertx, ApiProtocol protocol, Settings settings, RateGate gate) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.log = settings.log();
    this.label = protocol.label();
    // Retry timers run here, not on a caller's context that an undeploy could close under a pending call.
    this.home = vertx.getOrCreateContext();
    this.client = vertx.createHttpClient(
        new HttpClientOptions()
            .setKeepAlive(true)
            .setPipelining(false)
            .setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
    this.throttle = new OutgoingThrottle(Objects.requireNonNull(gate, "gate"));
    this.window = SendWindow.of(vertx);
  }

  /** Runs one call; resolves to what the protocol reads as its result. {@code guard} is told of every HTTP attempt. */
  public Future<Object> call(String method, JsonObject params, AttemptGuard guard) {
    Objects.requireNonNull(method, "method");
    Call call = new Call(method, protocol.metricName(method), params == null ? new JsonObject() : params.copy(),
        guard == null ? AttemptGuard.NONE : guard);
    Future<Object> result;
    if (closed) {
      result = Future.failedFuture(closedError(method));
    } else if (protocol.throttled(method)) {
      call.throttled = true;
      call.chatKey = protocol.chatKey(method, call.params);
      ApiCallException blocked = blocked(call);
      result = blocked != null ? Future.failedFuture(blocked) : throttle.submit(call.chatKey, () -> send(call));
    } else {
      result = send(call);
    }
    return onCallerContext(result.recover(e -> Future.failedFuture(asApiException(method, e))));
  }

  /** The call's result as a {@code type}, or a failure saying what came instead. */
  public <T> Future<T> typed(Class<T> type, String method, Future<Object> result) {
    return result.compose(value -> type.isInstance(value)
        ? Future.succeededFuture(type.cast(value))
        : Future.failedFuture(protocol.failed(method,
            "unexpected result type " + (value == null ? "null" : value.getClass().getSimpleName()))));
  }

  /** Tells {@code listener} of every HTTP attempt and its result (metrics). */
  public void listener(BotApiListener listener) {
    this.listener = listener == null ? BotApiListener.NONE : listener;
  }

  /** Count of 429 answers seen, retried or not. */
  public long calls429() {
    return calls429.get();
  }

  /** Fails calls still waiting for the throttle and closes the connections. */
  public void close() {
    closed = true;
    throttle.close();
    waits.forEach(waiting -> waiting.tryFail(new IllegalStateException("API client is closed")));
    client.close();
  }

  /** Masks the secret even if it does not have a shape the Redactor knows. */
  public String scrub(String text) {
    String secret = protocol.secret();
    return Redactor.mask(secret == null || secret.isEmpty() ? text : text.replace(secret, "***"));
  }

  private Future<Object> send(Call call) {
    if (closed) {
      return Future.failedFuture(closedError(call.method));
    }
    call.left = false;
    ApiProtocol.Request spec;
    try {
      spec = protocol.request(call.method, call.params);
    } catch (RuntimeException e) {
      return Future.failedFuture(protocol.failed(call.method, scrub(String.valueOf(e.getMessage()))));
    }
    RequestOptions options = new RequestOptions()
        .setMethod(spec.httpMethod())
        .setAbsoluteURI(spec.uri())
        .setIdleTimeout(spec.timeoutMs());
    spec.headers().forEach(options::putHeader);
    // A connection, the permit, the guard, the bytes, with nothing else in between: the platform counts calls as they
    // arrive. A recorded send holds the process's SendWindow from its permit until its bytes are written, so a kill
    // leaves at most one send of unknown outcome.
    long[] started = {System.nanoTime()};
    return enterWindow(call)
        .compose(leave -> client.request(options)
            .onFailure(e -> leave.run())
            .compose(request -> permitted(call, request, leave)
                .compose(holding -> {
                  started[0] = System.nanoTime(); // an attempt's time is the platform's, not the wait for a permit
                  return call.guard.beforeAttempt()
                      .compose(begun -> stillPermitted(call, started[0])
                          .recover(e -> call.guard.notDelivered().transform(undone -> Future.failedFuture(e))))
                      .transform(ready -> {
                        if (ready.failed()) {
                          holding.run();
                          request.reset();
                          return Future.<Reply>failedFuture(new GuardFailure(ready.cause()));
                        }
                        call.left = true;
                        Future<Void> written = spec.body() == null ? request.end() : request.end(spec.body());
                        written.onComplete(w -> holding.run());
                        return request.response().compose(response -> response.body().map(b -> new Reply(response, b)));
                      });
                })))
        .transform(ar -> {
          if (ar.succeeded()) {
            return onAnswer(call, ar.result(), started[0]);
          }
          if (ar.cause() instanceof GuardFailure failure) {
            return Future.failedFuture(failure.getCause());
          }
          if (ar.cause() instanceof LongWait wait) {
            return resendAfter(call, wait.ms);
          }
          if (!closed) {
            listener.onAttempt(call.metric, "network_error", System.nanoTime() - started[0]);
          }
          return onNetworkError(call, ar.cause());
        });
  }

  /**
   * The throttle's permit for a throttled call whose connection is ready (others need none), asked inside the send
   * window; completes with the handle that leaves the window. While the bot's global limit holds it, it waits in the
   * window, where every send waits for the same thing. While its chat's own limit does, it leaves the window to the
   * others and keeps its connection for the wait, or, for a wait longer than {@value #MAX_HELD_MS} ms (a group's
   * minute), gives the connection up and starts again after it ({@link LongWait}).
   */
  private Future<Runnable> permitted(Call call, HttpClientRequest request, Runnable leave) {
    if (!call.throttled) {
      return Future.succeededFuture(leave);
    }
    return throttle.ask(call.chatKey).transform(asked -> {
      if (asked.failed()) {
        leave.run();
        request.reset();
        return Future.failedFuture(new GuardFailure(asked.cause()));
      }
      RateGate.Answer answer = asked.result();
      if (answer.go()) {
        return Future.succeededFuture(leave);
      }
      if (!answer.chatHolds()) {
        return delay(answer.waitMs()).compose(v -> permitted(call, request, leave));
      }
      leave.run();
      if (answer.waitMs() > MAX_HELD_MS) {
        request.reset();
        return Future.failedFuture(new LongWait(answer.waitMs()));
      }
      return delay(answer.waitMs()).compose(v -> enterWindow(call)).compose(again -> permitted(call, request, again));
    });
  }

  /**
   * A permit is spent at once: the platform counts arrivals, so one whose record took longer than
   * {@value #PERMIT_FRESH_MS} ms (a slow store, a pause of the JVM) is not trusted to be on time any more, and the send
   * takes a fresh one from the global limit before it leaves, holding the window. The extra permit is never used: the
   * limit only errs on the safe side.
   */
  private Future<Void> stillPermitted(Call call, long permittedAt) {
    if (!call.throttled || System.nanoTime() - permittedAt <= TimeUnit.MILLISECONDS.toNanos(PERMIT_FRESH_MS)) {
      return Future.succeededFuture();
    }
    return freshGlobalPermit();
  }

  private Future<Void> freshGlobalPermit() {
    return throttle.ask(null).compose(answer -> answer.go()
        ? Future.<Void>succeededFuture()
        : delay(answer.waitMs()).compose(waited -> freshGlobalPermit()));
  }

  /** The send window for a recorded call; a call nobody records need not wait for it. */
  private Future<Runnable> enterWindow(Call call) {
    return call.guard == AttemptGuard.NONE ? Future.succeededFuture(() -> { }) : window.enter();
  }

  /** A wait that {@link #close} cuts short, failing it: a call waiting for a minute must not outlive its client. */
  private Future<Void> delay(long ms) {
    Promise<Void> waited = Promise.promise();
    waits.add(waited);
    home.runOnContext(v -> vertx.setTimer(Math.max(1, ms), id -> waited.tryComplete()));
    return waited.future().andThen(done -> waits.remove(waited));
  }

  /** A chat's limit asked for a wait too long to hold a connection through: nothing was sent. */
  private static final class LongWait extends RuntimeException {
    final long ms;

    LongWait(long ms) {
      super(null, null, false, false);
      this.ms = ms;
    }
  }

  /** An answer's head and its whole body. */
  private record Reply(HttpClientResponse head, Buffer body) {
  }

  /** The guard refused the attempt; nothing was sent, and this is not a network error to retry. */
  private static final class GuardFailure extends RuntimeException {
    GuardFailure(Throwable cause) {
      super(cause);
    }
  }

  private Future<Object> onAnswer(Call call, Reply reply, long started) {
    HttpClientResponse head = reply.head();
    ApiProtocol.Answer answer = protocol.read(call.method, head.statusCode(), head.statusMessage(), head::getHeader,
        reply.body());
    long took = System.nanoTime() - started;
    if (answer.ok()) {
      listener.onAttempt(call.metric, "ok", took);
      if (log.isDebugEnabled()) {
        log.debug("{} {} ok in {} ms", label, call.method, (System.nanoTime() - started) / 1_000_000);
      }
      return Future.succeededFuture(answer.result());
    }
    int retryAfter = answer.retryAfterSeconds();
    ApiCallException failure = protocol.refused(call.method, answer.code(), scrub(answer.description()),
        Math.max(0, retryAfter), answer.body());
    listener.onAttempt(call.metric, answer.rateLimited() ? "rate_limited"
        : answer.serverError() ? "server_error" : "client_error", took);

    if (answer.rateLimited()) {
      return onRateLimited(call, failure, retryAfter);
    }
    if (answer.fromPlatform() && answer.serverError()) {
      return retryTransient(call, failure); // the platform itself says it did not do it
    }
    if (answer.status() >= 500) {
      // A proxy's page, not the platform's answer: the request may have been carried out behind it.
      return mayHaveActed(call, failure);
    }
    log.debug("{} {} failed: {} {}", label, call.method, answer.code(), failure.description());
    return call.guard.notDelivered().transform(v -> Future.failedFuture(failure));
  }

  /** {@code retryAfter} -1: the platform gave no hint, so the wait backs off. */
  private Future<Object> onRateLimited(Call call, ApiCallException failure, int retryAfter) {
    calls429.incrementAndGet();
    if (retryAfter > settings.maxRetryAfterSeconds()) {
      return call.guard.notDelivered().transform(v -> Future.failedFuture(block(call, retryAfter)));
    }
    if (call.rateLimited >= MAX_RATE_LIMIT_RETRIES || closed) {
      log.warn("{} {} still rate-limited after {} retries, giving up", label, call.method, call.rateLimited);
      return call.guard.notDelivered().transform(v -> Future.failedFuture(failure));
    }
    call.rateLimited++;
    long waitMs;
    if (retryAfter >= 0) {
      int waitSeconds = Math.max(1, retryAfter);
      log.warn("{} {} rate-limited (429), retry_after={} s", label, call.method, waitSeconds);
      waitMs = waitSeconds * 1000L;
    } else {
      waitMs = backoffMs(call.rateLimited, RATE_LIMIT_BACKOFF_BASE_MS, RATE_LIMIT_BACKOFF_CAP_MS);
      log.warn("{} {} rate-limited (429) with no wait given, retrying in {} ms", label, call.method, waitMs);
    }
    return call.guard.notDelivered().compose(v -> resendAfter(call, waitMs));
  }

  private Future<Object> onNetworkError(Call call, Throwable cause) {
    if (closed) {
      return Future.failedFuture(closedError(call.method));
    }
    String description = "network error: " + cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + scrub(cause.getMessage()));
    ApiCallException failure = protocol.failed(call.method, description);
    // No connection, nothing sent; after a reset or a timeout the platform may have acted on the request.
    return call.left ? mayHaveActed(call, failure) : retryTransient(call, failure);
  }

  /** Resends only what is safe to repeat; anything else fails as unanswered. */
  private Future<Object> mayHaveActed(Call call, ApiCallException failure) {
    if (protocol.repeatable(call.method)) {
      return retryTransient(call, failure);
    }
    log.warn("{} {} got no answer ({}); it may have been carried out, so it is not sent again",
        label, call.method, failure.description());
    return Future.failedFuture(protocol.unanswered(call.method,
        failure.description() + " (no answer; it may have been carried out, so it is not sent again)"));
  }

  /** Remembers the chat's long wait, so its next calls fail at once instead of asking the platform again. */
  private ApiCallException block(Call call, int retryAfterSeconds) {
    if (call.chatKey != null) {
      blockedChats.put(call.chatKey, System.nanoTime() + retryAfterSeconds * 1_000_000_000L);
    }
    log.warn("{} {} rate-limited for {} s, longer than {}={} s; the update is tried again later",
        label, call.method, retryAfterSeconds, settings.maxRetryAfterName(), settings.maxRetryAfterSeconds());
    return protocol.rateLimited(call.method, "Too Many Requests: retry after " + retryAfterSeconds + " s, more than "
        + settings.maxRetryAfterName(), retryAfterSeconds);
  }

  /** The failure for a call to a chat still inside its long wait, or null. */
  private ApiCallException blocked(Call call) {
    if (call.chatKey == null) {
      return null;
    }
    Long until = blockedChats.get(call.chatKey);
    if (until == null) {
      return null;
    }
    long left = until - System.nanoTime();
    if (left <= 0) {
      blockedChats.remove(call.chatKey, until);
      return null;
    }
    int seconds = (int) Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
    return protocol.rateLimited(call.method, "Too Many Requests: this chat must wait " + seconds + " s more", seconds);
  }

  private Future<Object> retryTransient(Call call, ApiCallException failure) {
    call.transientFailures++;
    if (call.transientFailures >= MAX_TRANSIENT_ATTEMPTS || closed) {
      log.warn("{} {} failed after {} attempts: {}", label, call.method, call.transientFailures, failure.description());
      return Future.failedFuture(failure);
    }
    long delay = backoffMs(call.transientFailures, BACKOFF_BASE_MS, BACKOFF_CAP_MS);
    log.warn("{} {} attempt {} failed ({}), retrying in {} ms",
        label, call.method, call.transientFailures, failure.description(), delay);
    return resendAfter(call, delay);
  }

  /** A resend is one more request against the limits: {@link #send} takes a fresh permit for it. */
  private Future<Object> resendAfter(Call call, long delayMs) {
    return delay(delayMs)
        // The wait ran on the client's own context: resend under the caller's log fields (its update_id).
        .compose(v -> LogContext.with(call.logFields, () -> send(call)));
  }

  /** base, 2 × base, 4 × base ... capped, each spread by ±25 % so clients do not retry in step. */
  private static long backoffMs(int failures, long baseMs, long capMs) {
    long base = Math.min(capMs, baseMs << Math.min(failures - 1, 20));
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Math.min(capMs, Math.round(base * jitter));
  }

  private ApiCallException asApiException(String method, Throwable e) {
    if (e instanceof ApiCallException known) {
      return known;
    }
    if (closed) {
      return closedError(method);
    }
    return protocol.failed(method, scrub(e.getClass().getSimpleName() + ": " + e.getMessage()));
  }

  private ApiCallException closedError(String method) {
    return protocol.failed(method, "client is closed");
  }

  /** Vert.x code expects callbacks on its own context; the throttle and the retries may finish elsewhere. */
  private static <T> Future<T> onCallerContext(Future<T> result) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return result;
    }
    Promise<T> promise = Promise.promise();
    result.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  /** One logical call and its retry counters. */
  private static final class Call {
    final String method;
    final String metric;
    final JsonObject params;
    final AttemptGuard guard;
    final Map<String, String> logFields = LogContext.current();
    boolean throttled;
    String chatKey;
    int rateLimited;
    int transientFailures;
    /** The current attempt's bytes may have left (the guard let it go); a failure after that has an unknown outcome. */
    boolean left;

    Call(String method, String metric, JsonObject params, AttemptGuard guard) {
      this.method = method;
      this.metric = metric;
      this.params = params;
      this.guard = guard;
    }
  }
}
