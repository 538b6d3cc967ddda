package io.splitbot.worker.storage.airtable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One limiter per Airtable base, shared by every client of that base in the JVM: at most N request starts in any
 * window of a little over one second (Airtable allows 5 requests/s per base), and a full stop for the configured
 * time after a 429 (Airtable asks for 30 s).
 */
public final class AirtableRateLimiter {
  private static final Map<String, AirtableRateLimiter> BY_BASE = new ConcurrentHashMap<>();

  private final int permits;
  private final long windowMs;
  private final ArrayDeque<Long> starts = new ArrayDeque<>();
  private long pausedUntil;

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

  /** Completes when a request may start. */
  public Future<Void> acquire(Vertx vertx) {
    long wait = reserve(System.currentTimeMillis());
    if (wait <= 0) {
      return Future.succeededFuture();
    }
    return vertx.timer(wait).compose(v -> acquire(vertx));
  }

  synchronized long reserve(long now) {
    if (now < pausedUntil) {
      return pausedUntil - now;
    }
    while (!starts.isEmpty() && starts.peekFirst() <= now - windowMs) {
      starts.pollFirst();
    }
    if (starts.size() < permits) {
      starts.addLast(now);
      return 0;
    }
    return Math.max(1, starts.peekFirst() + windowMs - now);
  }

  /** After a 429: nobody starts a request against this base for {@code ms}. */
  public synchronized void pause(long ms) {
    pausedUntil = Math.max(pausedUntil, System.currentTimeMillis() + ms);
  }

  public synchronized boolean paused() {
    return System.currentTimeMillis() < pausedUntil;
  }
}
