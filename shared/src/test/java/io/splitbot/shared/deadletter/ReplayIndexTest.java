package io.splitbot.shared.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

/**
 * The replay index both stores keep: the replayer's scan reads only the letters marked for replay, and a letter
 * stored again with its new error, or removed, leaves it.
 */
@ExtendWith(VertxExtension.class)
class ReplayIndexTest {

  @Test
  void theFileStoreIndexesExactlyTheMarkedLetters(Vertx vertx) throws Exception {
    check(new FileDeadLetterStore(vertx, Files.createTempDirectory("replay-index")));
  }

  @Test
  void theRedisStoreIndexesExactlyTheMarkedLetters(Vertx vertx) {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString("redis://127.0.0.1:6379"));
    check(new RedisDeadLetterStore(RedisAPI.api(client), "test:replay-index:" + UUID.randomUUID()));
  }

  private static void check(DeadLetterStore store) {
    for (String id : List.of("5", "6", "mid.a/b")) {
      store.put(letter(id)).await();
    }
    assertEquals(List.of(), store.replayRequested().await());
    store.requestReplay("6").await();
    store.requestReplay("max:mid.a/b").await();
    assertEquals(List.of("6", "max:mid.a/b"), store.replayRequested().await());
    store.put(letter("6")).await(); // failed again: stored with its new error, unmarked
    store.remove("max:mid.a/b").await();
    assertEquals(List.of(), store.replayRequested().await());
    assertEquals(2, store.count().await());
    store.remove("5").await();
    store.remove("6").await();
  }

  private static DeadLetter letter(String id) {
    UpdateEnvelope update = id.chars().allMatch(Character::isDigit)
        ? new UpdateEnvelope(UpdateEnvelope.TELEGRAM, id, "1", Long.parseLong(id), "{\"update_id\":" + id + "}")
        : new UpdateEnvelope("max", id, "1", 1, "{}");
    return new DeadLetter(update, "boom", 5, 1_000, false);
  }
}
