package io.splitbot.worker.dedup;

import io.splitbot.shared.bus.SpoolFence;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.UUID;

/**
 * Dedup marks as Redis keys {@code <prefix>:<update key>} (a Telegram key is its bare update_id, as before platforms)
 * set with SET NX EX, so they expire after the window; and claims as {@code <prefix>:claim:<update key>} holding the
 * claiming worker's id for {@link #CLAIM_TTL_MS} unless renewed. Each step that reads and writes is one script, so
 * two workers never both find an update free. A forward that carries a {@link SpoolFence} is claimed only if its
 * epoch is not older than its spool partition's ({@code <spool prefix>:p<n>:epoch}), checked in the same script: an
 * edge that lost the partition's lease cannot have the update run beside its new holder's forward.
 */
public final class RedisDeduplicator implements Deduplicator {
  /** How long a claim outlives its worker's last renewal: a killed worker's updates run elsewhere after this. */
  public static final long CLAIM_TTL_MS = 10_000;

  // KEYS[3], when given, is the partition's epoch key and ARGV[4] the forward's epoch.
  private static final String CLAIM = """
      if KEYS[3] and tonumber(redis.call('GET', KEYS[3]) or '0') > tonumber(ARGV[4]) then return 'stale' end
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
  private final String spoolPrefix;
  private final long ttlSeconds;
  /** This worker, as its claims name it. */
  private final String owner = UUID.randomUUID().toString();

  public RedisDeduplicator(RedisAPI redis, String prefix, long ttlSeconds) {
    this(redis, prefix, SpoolFence.KEY_PREFIX, ttlSeconds);
  }

  /** @param spoolPrefix the edges' Redis spool prefix, where the partitions' epochs are */
  public RedisDeduplicator(RedisAPI redis, String prefix, String spoolPrefix, long ttlSeconds) {
    this.redis = redis;
    this.prefix = prefix;
    this.spoolPrefix = spoolPrefix;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Future<Boolean> isHandled(String updateKey) {
    return redis.exists(List.of(key(updateKey))).map(r -> r.toInteger() > 0);
  }

  @Override
  public Future<Claim> claim(String updateKey, boolean evenIfHandled) {
    return claim(updateKey, evenIfHandled, null);
  }

  @Override
  public Future<Claim> claim(String updateKey, boolean evenIfHandled, SpoolFence fence) {
    List<String> args = fence == null
        ? List.of(CLAIM, "2", key(updateKey), claimKey(updateKey), owner, String.valueOf(CLAIM_TTL_MS), evenIfHandled ? "1" : "0")
        : List.of(CLAIM, "3", key(updateKey), claimKey(updateKey), SpoolFence.epochKey(spoolPrefix, fence.partition()),
            owner, String.valueOf(CLAIM_TTL_MS), evenIfHandled ? "1" : "0", Long.toString(fence.epoch()));
    return redis.eval(args).map(r -> Claim.valueOf(r.toString().toUpperCase()));
  }

  @Override
  public boolean claimsLapse() {
    return true;
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
