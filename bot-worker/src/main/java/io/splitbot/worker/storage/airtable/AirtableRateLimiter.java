package io.splitbot.worker.storage.airtable;

import io.splitbot.worker.storage.StorageUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One limiter per Airtable base, shared by every client of that base in the JVM: never more than N requests in any
 * window of a little over one second (Airtable allows 5 requests/s per base), and a full stop for the configured
 * time after a 429 (Airtable asks for 30 s).
 *
 * <p>Airtable counts arrivals, which the client cannot see: a request arrives somewhere between its start and its
 * answer, later when a connection is being set up or the machine is busy. So a request counts from its start until
 * a window after its answer ({@link #finished()}), and a new one starts only when fewer than N count: then no N + 1
 * can arrive within a second, however late each one arrives. Counting from the start alone let a late first arrival
 * and an on-time sixth fall in one second, and a 30 s penalty followed.
 *
 * <p>The wait is bounded: past {@link #MAX_WAITING} requests waiting for a start, the next one fails at once with
 * {@link StorageUnavailableException} (a retry-later failure: its update is retried, never dead-lettered) instead
 * of joining a queue that only grows. A health probe never waits at all ({@link #tryAcquire()}); when no start is
 * free it reads what the base last answered ({@link #lastReachable()}), which every call records.
 */
public final class AirtableRateLimiter {
  private static final Map<String, AirtableRateLimiter> BY_BASE = new ConcurrentHashMap<>();

  private final int permits;
  private final long windowMs;
  /** When each recently answered request was answered, oldest first. */
  private final ArrayDeque<Long> answered = new ArrayDeque<>();
  /** Requests started and not answered yet. */
  private int inFlight;
  private long pausedUntil;
  private int waiting;
  /** What the base's most recent answered call found: null before any, else whether it was reachable. */
  private volatile Boolean lastReachable;

  AirtableRateLimiter(double perSecond) {
    // 10% margin: Airtable counts arrivals, and a request may leave a busy event loop a little late
    if (perSecond >= 1) {
      this.permits = (int) Math.floor(perSecond);
      this.windowMs = Math.round(1000 * (permits / perSecond) * 1.1);
    } else {
      this.permits = 1;
      this.windowMs = Math.round(1000 / perSecond * 1.1);
    }
  }

  /** The limiter shared by every client of one base (and rate) in this JVM. */
  public static AirtableRateLimiter forBase(String apiUrl, String baseId, double perSecond) {
    return BY_BASE.computeIfAbsent(apiUrl + "|" + baseId + "|" + perSecond, k -> new AirtableRateLimiter(perSecond));
  }

  /**
   * About a minute of work at Airtable's 5 requests/s: enough for the bursts of a busy bot (a page of users, a
   * batch of writes), while a backlog beyond it means the base cannot keep up and callers should come back later.
   */
  static final int MAX_WAITING = 300;
  private static final long IN_FLIGHT_RECHECK_MS = 20;

  /**
   * Completes when a request may start; fails with a retry-later failure when too many wait already. Each start
   * must be followed by {@link #finished()} when its answer (or failure) comes.
   */
  public Future<Void> acquire(Vertx vertx) {
    long wait = reserve(System.currentTimeMillis());
    if (wait <= 0) {
      return Future.succeededFuture();
    }
    synchronized (this) {
      if (waiting >= MAX_WAITING) {
        return Future.failedFuture(new StorageUnavailableException("Airtable: " + MAX_WAITING
            + " requests are already waiting for the base's rate limit; try again later"));
      }
      waiting++;
    }
    return vertx.timer(wait).compose(v -> waitTurn(vertx));
  }

  private Future<Void> waitTurn(Vertx vertx) {
    long wait = reserve(System.currentTimeMillis());
    if (wait <= 0) {
      synchronized (this) {
        waiting--;
      }
      return Future.succeededFuture();
    }
    return vertx.timer(wait).compose(v -> waitTurn(vertx));
  }

  /** The answer (or the failure) of a request that {@link #acquire} or {@link #tryAcquire} started. */
  public synchronized void finished() {
    inFlight = Math.max(0, inFlight - 1);
    answered.addLast(System.currentTimeMillis());
  }

  /** A start now, if one is free and nobody waits for it: for a probe, which must never delay real traffic. */
  public synchronized boolean tryAcquire() {
    return waiting == 0 && reserve(System.currentTimeMillis()) == 0;
  }

  /** Every call: whether the base answered, and not with a 5xx or a refused token (a 429 is a busy base, not a down one). */
  void record(boolean reachable) {
    lastReachable = reachable;
  }

  /** What the most recent answered call found, or null before any. */
  public Boolean lastReachable() {
    return lastReachable;
  }

  synchronized int waiting() {
    return waiting;
  }

  synchronized long reserve(long now) {
    if (now < pausedUntil) {
      return pausedUntil - now;
    }
    while (!answered.isEmpty() && answered.peekFirst() <= now - windowMs) {
      answered.pollFirst();
    }
    if (answered.size() + inFlight < permits) {
      inFlight++;
      return 0;
    }
    // All counted ones still in flight: look again shortly, since their answers free nothing before they come.
    return answered.isEmpty() ? IN_FLIGHT_RECHECK_MS : Math.max(1, answered.peekFirst() + windowMs - now);
  }

  /** After a 429: nobody starts a request against this base for {@code ms}. */
  public synchronized void pause(long ms) {
    pausedUntil = Math.max(pausedUntil, System.currentTimeMillis() + ms);
  }

  public synchronized boolean paused() {
    return System.currentTimeMillis() < pausedUntil;
  }
}
