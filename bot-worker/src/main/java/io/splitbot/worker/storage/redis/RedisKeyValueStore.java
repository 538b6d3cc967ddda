package io.splitbot.worker.storage.redis;

import io.splitbot.worker.bot.KeyValueStore;
import io.splitbot.worker.storage.StoreNames;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * A named key-value store in Redis, shared by every worker: the values in the hash {@code kv:{name}:v} and the keys
 * in the sorted set {@code kv:{name}:k} (all scores 0, so it lists by key). Both change in one script, so a listing
 * never sees a key without its value. Give it a client from {@code RedisClients}: a Redis that does not answer
 * fails the call with a {@code RedisUnavailableException}, which is a {@code RetryLater}.
 *
 * <p>Keys list in byte order of their UTF-8 text, which is {@link String#compareTo} order except for characters
 * outside the Basic Multilingual Plane.
 */
public final class RedisKeyValueStore implements KeyValueStore {
  /** Redis unpacks the keys of one page onto the Lua stack, so a page is at most this long. */
  private static final int MAX_PAGE = 1000;

  private static final String PUT = """
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
      redis.call('ZADD', KEYS[2], 0, ARGV[1])
      return 1
      """;

  private static final String DELETE = """
      local n = redis.call('HDEL', KEYS[1], ARGV[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      return n
      """;

  /** ARGV: the lower bound (ZRANGEBYLEX syntax), the prefix, the page size; returns key, value, key, value... */
  private static final String LIST = """
      local max = '+'
      if ARGV[2] ~= '' then max = '[' .. ARGV[2] .. '\\255' end
      local keys = redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], max, 'LIMIT', 0, tonumber(ARGV[3]))
      if #keys == 0 then return {} end
      local values = redis.call('HMGET', KEYS[1], unpack(keys))
      local out = {}
      for i, k in ipairs(keys) do
        out[#out + 1] = k
        out[#out + 1] = values[i]
      end
      return out
      """;

  private final RedisAPI redis;
  private final String name;
  private final String values;
  private final String keys;

  public RedisKeyValueStore(RedisAPI redis, String name) {
    this.redis = redis;
    this.name = StoreNames.check(name);
    this.values = "kv:{" + name + "}:v";
    this.keys = "kv:{" + name + "}:k";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<JsonObject> get(String key) {
    return redis.hget(values, KeyValueStore.checkKey(key)).map(r -> r == null ? null : new JsonObject(r.toString()));
  }

  @Override
  public Future<Void> put(String key, JsonObject value) {
    KeyValueStore.checkKey(key);
    if (value == null) {
      throw new IllegalArgumentException("a value must be a JSON object, not null");
    }
    return redis.eval(List.of(PUT, "2", values, keys, key, value.encode())).mapEmpty();
  }

  @Override
  public Future<Boolean> delete(String key) {
    return redis.eval(List.of(DELETE, "2", values, keys, KeyValueStore.checkKey(key))).map(r -> r.toLong() > 0);
  }

  @Override
  public Future<List<Entry>> list(String prefix, String afterKey, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    String p = prefix == null ? "" : prefix;
    String from;
    if (afterKey != null && KeyValueStore.checkKey(afterKey).compareTo(p) >= 0) {
      from = "(" + afterKey;
    } else {
      from = p.isEmpty() ? "-" : "[" + p;
    }
    String page = Integer.toString(Math.min(limit, MAX_PAGE));
    return redis.eval(List.of(LIST, "2", values, keys, from, p, page)).map(r -> {
      List<Entry> out = new ArrayList<>(r.size() / 2);
      for (int i = 0; i + 1 < r.size(); i += 2) {
        Response v = r.get(i + 1);
        if (v != null) {
          out.add(new Entry(r.get(i).toString(), new JsonObject(v.toString())));
        }
      }
      return out;
    });
  }
}
