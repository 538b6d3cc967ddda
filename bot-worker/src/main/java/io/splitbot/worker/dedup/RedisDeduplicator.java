package io.splitbot.worker.dedup;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.UUID;

/**
 * Dedup marks as Redis keys {@code <prefix>:<update key>} (a Telegram key is its bare update_id, as before platforms)
 * set with SET NX EX, so they expire after the window; and claims as {@code <prefix>:claim:<update key>} holding the
 * claiming worker's id for {@link #CLAIM_TTL_MS} unless renewed. Each step that reads and writes is one script, so
 * two workers never both find an update free.
 */
public final class RedisDeduplicator implements Deduplicator {
  /** How long a claim outlives its worker's last renewal: a killed worker's updates run elsewhere after this. */
  public static final long CLAIM_TTL_MS = 10_000;

  private static final String CLAIM = """
      if ARGV[3] == '0' and redis.call('EXISTS', KEYS[1]) == 1 then return 'handled' end
      if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'run' end
      if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('PEXPIRE', KEYS[2], ARGV[2]) return 'run' end
      return 'busy'""";
  private static final String RENEW = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      return 0""";
  private static final String RELEASE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0""";
  private static final String MARK = """
      redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2])
      if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
      return 1""";

  private final RedisAPI redis;
  private final String prefix;
  private final long ttlSeconds;
  /** This worker, as its claims name it. */
  private final String owner = UUID.randomUUID().toString();

  public RedisDeduplicator(RedisAPI redis, String prefix, long ttlSeconds) {
    this.redis = redis;
    this.prefix = prefix;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Future<Boolean> isHandled(String updateKey) {
    return redis.exists(List.of(key(updateKey))).map(r -> r.toInteger() > 0);
  }

  @Override
  public Future<Claim> claim(String updateKey, boolean evenIfHandled) {
    return redis.eval(List.of(CLAIM, "2", key(updateKey), claimKey(updateKey), owner, String.valueOf(CLAIM_TTL_MS),
            evenIfHandled ? "1" : "0"))
        .map(r -> Claim.valueOf(r.toString().toUpperCase()));
  }

  @Override
  public Future<Void> renew(String updateKey) {
    return redis.eval(List.of(RENEW, "1", claimKey(updateKey), owner, String.valueOf(CLAIM_TTL_MS))).mapEmpty();
  }

  @Override
  public Future<Void> release(String updateKey) {
    return redis.eval(List.of(RELEASE, "1", claimKey(updateKey), owner)).mapEmpty();
  }

  @Override
  public Future<Void> markHandled(String updateKey) {
    return redis.eval(List.of(MARK, "2", key(updateKey), claimKey(updateKey), owner, String.valueOf(ttlSeconds)))
        .mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private String key(String updateKey) {
    return prefix + ":" + updateKey;
  }

  private String claimKey(String updateKey) {
    return prefix + ":claim:" + updateKey;
  }
}
