package io.splitbot.worker.effects;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ledger as one Redis hash per update ({@code <prefix>:<update_id>}: seq → "begun" or the result), with a TTL. */
public final class RedisEffectLedger implements EffectLedger {
  private static final String BEGUN = "begun";

  private final RedisAPI redis;
  private final String prefix;
  private final long ttlSeconds;

  public RedisEffectLedger(RedisAPI redis, String prefix, long ttlSeconds) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Future<Map<Integer, Effect>> recall(String updateKey) {
    return redis.hgetall(key(updateKey)).map(reply -> {
      Map<Integer, Effect> effects = new HashMap<>();
      if (reply != null) {
        for (String field : reply.getKeys()) {
          Response value = reply.get(field);
          String text = value.toString();
          effects.put(Integer.parseInt(field), BEGUN.equals(text)
              ? new Effect(false, null)
              : new Effect(true, new JsonObject(text).getValue("r")));
        }
      }
      return effects;
    });
  }

  @Override
  public Future<Void> begin(String updateKey, int seq) {
    return put(updateKey, seq, BEGUN);
  }

  @Override
  public Future<Void> complete(String updateKey, int seq, Object result) {
    return put(updateKey, seq, new JsonObject().put("r", result).encode());
  }

  @Override
  public Future<Void> abort(String updateKey, int seq) {
    return redis.hdel(List.of(key(updateKey), String.valueOf(seq))).mapEmpty();
  }

  @Override
  public Future<Void> forget(String updateKey) {
    return redis.del(List.of(key(updateKey))).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private Future<Void> put(String updateKey, int seq, String value) {
    String key = key(updateKey);
    return redis.hset(List.of(key, String.valueOf(seq), value))
        .compose(r -> redis.expire(List.of(key, String.valueOf(ttlSeconds))))
        .mapEmpty();
  }

  private String key(String updateKey) {
    return prefix + ":" + updateKey;
  }
}
