package io.splitbot.tests.storage;

import static io.splitbot.tests.storage.StorageContractTest.failure;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.redis.RedisClients;
import io.splitbot.shared.redis.RedisUnavailableException;
import io.splitbot.shared.retry.RetryLater;
import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.redis.RedisKeyValueStore;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key-value contract on the shared Redis at 127.0.0.1:6379; each test's stores are deleted afterwards. */
class RedisKeyValueStoreTest extends KeyValueStoreContractTest {
  private Redis client;
  private RedisAPI redis;

  private static Redis connect(String url) {
    return RedisClients.create(vertx, new SplitbotConfig.Redis(url, 1000));
  }

  @Override
  protected void open() {
    client = connect("redis://127.0.0.1:6379");
    redis = RedisAPI.api(client);
  }

  @Override
  protected void close() {
    client.close().await();
  }

  @Override
  protected KeyValueStore store(String name) {
    return new RedisKeyValueStore(redis, name);
  }

  @Override
  protected void cleanUp() {
    if (usedNames.isEmpty()) {
      return;
    }
    Redis c = connect("redis://127.0.0.1:6379");
    List<String> keys = new ArrayList<>();
    usedNames.forEach(n -> keys.addAll(List.of("kv:{" + n + "}:v", "kv:{" + n + "}:k")));
    RedisAPI.api(c).del(keys).await();
    c.close().await();
  }

  @Test
  void anUnreachableRedisIsRetryLater() {
    Redis down = connect("redis://127.0.0.1:1");
    KeyValueStore s = new RedisKeyValueStore(RedisAPI.api(down), "down");
    for (Throwable e : List.of(failure(s.get("k")), failure(s.put("k", new JsonObject())), failure(s.delete("k")),
        failure(s.list("", null, 10)))) {
      assertInstanceOf(RedisUnavailableException.class, e);
      assertTrue(RetryLater.in(e), e.toString());
    }
    down.close().await();
  }
}
