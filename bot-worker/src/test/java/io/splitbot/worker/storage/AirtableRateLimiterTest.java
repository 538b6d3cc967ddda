package io.splitbot.worker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.storage.airtable.AirtableRateLimiter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AirtableRateLimiterTest {
  @Test
  void neverMoreThanFiveStartsInAnySecondAndAFullStopAfterA429() {
    Vertx vertx = Vertx.vertx();
    try {
      AirtableRateLimiter limiter = AirtableRateLimiter.forBase("http://test", "app" + System.nanoTime(), 5);
      List<Long> starts = new ArrayList<>();
      List<Future<Void>> all = new ArrayList<>();
      long t0 = System.currentTimeMillis();
      for (int i = 0; i < 12; i++) {
        all.add(limiter.acquire(vertx).onSuccess(v -> {
          synchronized (starts) {
            starts.add(System.currentTimeMillis());
          }
          limiter.finished(); // answered at once
        }));
      }
      Future.all(new ArrayList<Future<?>>(all)).await();
      starts.sort(Long::compare);
      for (int i = 5; i < starts.size(); i++) {
        assertTrue(starts.get(i) - starts.get(i - 5) >= 1000, "6 starts within a second: " + starts);
      }
      assertTrue(starts.get(11) - t0 >= 2000);

      limiter.pause(600);
      long p0 = System.currentTimeMillis();
      limiter.acquire(vertx).await();
      assertTrue(System.currentTimeMillis() - p0 >= 550, "waits out the pause");
      assertEquals(false, limiter.paused());
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aProbeNeverWaitsAndTheQueueOverflowsIntoRetryLater() {
    Vertx vertx = Vertx.vertx();
    try {
      AirtableRateLimiter limiter = AirtableRateLimiter.forBase("http://test", "app" + System.nanoTime(), 5);
      assertTrue(limiter.tryAcquire(), "a free start: the probe takes it");
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(limiter.acquire(vertx));
      }
      assertEquals(false, limiter.tryAcquire(), "no start left in this second: the probe does not wait");
      for (int i = 0; i < 300; i++) {
        all.add(limiter.acquire(vertx)); // waiting: 300 is the bound
      }
      Future<Void> overflow = limiter.acquire(vertx);
      assertTrue(overflow.failed(), "one more fails at once");
      assertTrue(io.splitbot.shared.retry.RetryLater.in(overflow.cause()), "as retry-later, never a dead letter: " + overflow.cause());
      assertEquals(false, limiter.tryAcquire(), "a probe never jumps the queue");
      assertEquals(null, limiter.lastReachable(), "no call answered yet");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aRequestCountsUntilAWindowAfterItsAnswerNotItsStart() {
    Vertx vertx = Vertx.vertx();
    try {
      AirtableRateLimiter limiter = AirtableRateLimiter.forBase("http://test", "app" + System.nanoTime(), 5);
      for (int i = 0; i < 5; i++) {
        limiter.acquire(vertx).await();
      }
      // The window itself is what is tested here: more than a second after the five started, none answered yet.
      vertx.timer(1_200).await();
      assertEquals(false, limiter.tryAcquire(), "five unanswered requests may all still arrive: no sixth");
      for (int i = 0; i < 5; i++) {
        limiter.finished();
      }
      assertEquals(false, limiter.tryAcquire(), "answered just now: they may have arrived just now");
    } finally {
      vertx.close().await();
    }
  }
}
