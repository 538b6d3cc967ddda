package io.splitbot.tests.desk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.desk.numbering.RequestNumberAllocator;
import io.splitbot.desk.storage.CounterRepository;
import io.splitbot.desk.storage.DeskStorage;
import io.splitbot.shared.retry.RetryLater;
import io.splitbot.tests.support.TestEnv;
import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.json.JsonStorage;
import io.splitbot.tests.support.FrozenFolder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Redis is down and then the store refuses the reservation of the next block too (the JSON store's folder made
 * unwritable): the number is "retry later", and once the store is back the numbering goes on where it was, without
 * a number lost to the failed reservation.
 */
class NumberBlockStoreOutageTest {

  @Test
  void aBlockTheStoreCouldNotReserveIsRetryLaterAndCostsNoNumber() throws Exception {
    Path dir = TestEnv.tempDir("number-block-outage");
    Vertx vertx = Vertx.vertx();
    Storage storage = new JsonStorage(vertx, dir, false);
    storage.start().await();
    boolean frozen = false;
    try {
      CounterRepository counters = new DeskStorage(storage).counters();
      RequestNumberAllocator numbers = new RequestNumberAllocator(counters,
          RedisAPI.api(Redis.createClient(vertx, "redis://127.0.0.1:1")), // nothing listens: Redis is down
          ZoneId.of("UTC"), Clock.fixed(Instant.parse("2025-09-27T10:00:00Z"), ZoneOffset.UTC), true, 3);
      assertEquals("250927-001", numbers.next().await());
      assertEquals("250927-002", numbers.next().await());
      assertEquals("250927-003", numbers.next().await());

      FrozenFolder.freeze(dir);
      frozen = true;
      Throwable failure = assertThrows(Throwable.class, () -> numbers.next().await());
      assertTrue(RetryLater.in(failure), "an outage of the store is retry later: " + failure);
      assertTrue(numbers.blockInUse().isEmpty());
      assertEquals(3L, counters.current("250927").await(), "the failed reservation changed nothing");

      FrozenFolder.thaw(dir);
      frozen = false;
      assertEquals("250927-004", numbers.next().await(), "no number lost");
      assertEquals(6L, counters.current("250927").await());
      assertEquals(4, numbers.fallbackCount());
    } finally {
      if (frozen) {
        FrozenFolder.thaw(dir);
      }
      storage.close().await();
      vertx.close().await();
    }
  }
}
