package io.splitbot.shared.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SharedProbeTest {
  @Test
  void callersShareTheProbeInFlightAndItsOutcomeForTheTtl() {
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<Promise<String>> running = new AtomicReference<>();
    AtomicLong now = new AtomicLong(1_000_000_000L);
    SharedProbe<String> probe = new SharedProbe<>(() -> {
      calls.incrementAndGet();
      running.set(Promise.promise());
      return running.get().future();
    }, 200, now::get);

    Future<String> first = probe.get();
    for (int i = 0; i < 1000; i++) {
      assertSame(first, probe.get(), "in flight: shared");
    }
    running.get().complete("UP");
    for (int i = 0; i < 1000; i++) {
      assertEquals("UP", probe.get().result(), "fresh: the same outcome");
    }
    assertEquals(1, calls.get());

    now.addAndGet(199_000_000L);
    probe.get();
    assertEquals(1, calls.get(), "199 ms on: still fresh");
    now.addAndGet(2_000_000L);
    probe.get();
    assertEquals(2, calls.get(), "stale: one new probe");
    probe.get();
    assertEquals(2, calls.get(), "and it is shared in turn");
  }
}
