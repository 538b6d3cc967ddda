package io.splitbot.shared.deadletter;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import io.splitbot.shared.update.UpdateEnvelope;
import java.util.Comparator;
import java.util.List;

/** Dead letters in one Redis hash: field the update's key, value the dead letter as JSON. */
public final class RedisDeadLetterStore implements DeadLetterStore {
  private final RedisAPI redis;
  private final String key;

  public RedisDeadLetterStore(RedisAPI redis, String key) {
    this.redis = redis;
    this.key = key;
  }

  /** Marked for replay: the key is added to the set before the letter says so, and removed after it stops. */
  @Override
  public Future<Void> put(DeadLetter letter) {
    String id = letter.update().key();
    Future<Void> stored = letter.replayRequested()
        ? redis.sadd(List.of(replayKey(), id)).compose(r -> hset(letter))
        : hset(letter).compose(v -> redis.srem(List.of(replayKey(), id))).mapEmpty();
    return stored;
  }

  private Future<Void> hset(DeadLetter letter) {
    return redis.hset(List.of(key, letter.update().key(), letter.toJson().encode())).mapEmpty();
  }

  @Override
  public Future<List<String>> replayRequested() {
    return redis.smembers(replayKey()).map(members -> {
      List<String> keys = new ArrayList<>();
      if (members != null) {
        members.forEach(m -> keys.add(m.toString()));
      }
      keys.sort(null);
      return keys;
    });
  }

  private String replayKey() {
    return key + ":replay";
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
      letters.sort(Comparator.comparing(DeadLetter::update, UpdateEnvelope.ORDER));
      return letters;
    });
  }

  @Override
  public Future<Integer> count() {
    return redis.hlen(key).map(Response::toInteger);
  }

  @Override
  public Future<DeadLetter> get(String updateKey) {
    return redis.hget(key, updateKey)
        .map(value -> value == null ? null : DeadLetter.fromJson(new JsonObject(value.toString())));
  }

  @Override
  public Future<Boolean> remove(String updateKey) {
    return redis.hdel(List.of(key, updateKey)).compose(r -> redis.srem(List.of(replayKey(), updateKey))
        .map(x -> r.toInteger() > 0));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
