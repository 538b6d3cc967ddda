package io.splitbot.worker.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.worker.dedup.Deduplicator.Claim;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two workers' claims on one Redis: one runs an update at a time, and a handled one is not run again. */
@ExtendWith(VertxExtension.class)
class RedisClaimTest {

  @Test
  void oneWorkerAtATimeAndNeverAfterItWasHandled(Vertx vertx) {
    RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379")));
    String prefix = "test:claims:" + UUID.randomUUID();
    RedisDeduplicator first = new RedisDeduplicator(redis, prefix, 60);
    RedisDeduplicator second = new RedisDeduplicator(redis, prefix, 60);

    assertEquals(Claim.RUN, first.claim("5", false).await());
    assertEquals(Claim.RUN, first.claim("5", false).await(), "its own claim again (a retry reaching it)");
    assertEquals(Claim.BUSY, second.claim("5", false).await());
    second.release("5").await();
    assertEquals(Claim.BUSY, second.claim("5", false).await(), "another worker cannot give it up");
    first.release("5").await();
    assertEquals(Claim.RUN, second.claim("5", false).await(), "given up: the next one takes it");

    second.markHandled("5").await();
    assertEquals(Claim.HANDLED, first.claim("5", false).await());
    assertEquals(Claim.RUN, first.claim("5", true).await(), "a replay runs it again, the claim still one at a time");
    assertEquals(Claim.BUSY, second.claim("5", true).await());
    first.markHandled("5").await();

    assertEquals(-2, redis.pttl(prefix + ":claim:5").await().toLong(), "marking it handled gave the claim up");
    first.claim("6", false).await();
    long lease = redis.pttl(prefix + ":claim:6").await().toLong();
    assertEquals(true, lease > 0 && lease <= RedisDeduplicator.CLAIM_TTL_MS, "a claim lapses by itself: " + lease);
    redis.del(List.of(prefix + ":claim:6", prefix + ":5")).await();
  }

  @Test
  void aForwardFromAnEdgeThatLostItsSpoolPartitionIsRefusedAndTheNewHoldersRuns(Vertx vertx) {
    RedisAPI redis = RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379")));
    String prefix = "test:claims:" + UUID.randomUUID();
    String spool = "test:spool:" + UUID.randomUUID();
    RedisDeduplicator worker = new RedisDeduplicator(redis, prefix, spool, 60);
    String epochKey = SpoolFence.epochKey(spool, 3);
    assertEquals(spool + ":p3:epoch", epochKey);
    try {
      assertEquals(Claim.RUN, worker.claim("7", false, new SpoolFence(3, 0)).await(), "no epoch yet: nothing to be older than");
      worker.release("7").await();
      redis.set(List.of(epochKey, "4")).await(); // a first edge took partition 3 (epoch 4), then a second one (5)
      redis.incr(epochKey).await();

      assertEquals(Claim.STALE, worker.claim("7", false, new SpoolFence(3, 4)).await(), "the first edge's forward");
      assertEquals(-2, redis.pttl(prefix + ":claim:7").await().toLong(), "a stale forward claims nothing");
      assertEquals(Claim.RUN, worker.claim("7", false, new SpoolFence(3, 5)).await(), "the holder's forward runs");
      assertEquals(Claim.RUN, worker.claim("8", false, new SpoolFence(2, 1)).await(), "another partition has its own epoch");
      worker.markHandled("7").await();
      assertEquals(Claim.STALE, worker.claim("7", false, new SpoolFence(3, 4)).await(),
          "stale even once handled: the old holder must not remove it on a 'duplicate'");
    } finally {
      redis.del(List.of(epochKey, prefix + ":7", prefix + ":claim:8")).await();
    }
  }
}
