package io.splitbot.shared.deadletter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Dead letters in one Redis hash: field update_id, value the dead letter as JSON. */
public final class RedisDeadLetterStore implements DeadLetterStore {
  private final RedisAPI redis;
  private final String key;

  public RedisDeadLetterStore(RedisAPI redis, String key) {
    this.redis = redis;
    this.key = key;
  }

  @Override
  public Future<Void> put(DeadLetter letter) {
    return redis.hset(List.of(key, String.valueOf(letter.update().updateId()), letter.toJson().encode())).mapEmpty();
  }

  @Override
  public Future<List<DeadLetter>> list() {
    return redis.hvals(key).map(values -> {
      List<DeadLetter> letters = new ArrayList<>();
      if (values != null) {
        for (Response value : values) {
          letters.add(DeadLetter.fromJson(new JsonObject(value.toString())));
        }
      }
      letters.sort(Comparator.comparingLong(l -> l.update().updateId()));
      return letters;
    });
  }

  @Override
  public Future<Integer> count() {
    return redis.hlen(key).map(Response::toInteger);
  }

  @Override
  public Future<DeadLetter> get(long updateId) {
    return redis.hget(key, String.valueOf(updateId))
        .map(value -> value == null ? null : DeadLetter.fromJson(new JsonObject(value.toString())));
  }

  @Override
  public Future<Boolean> remove(long updateId) {
    return redis.hdel(List.of(key, String.valueOf(updateId))).map(r -> r.toInteger() > 0);
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
