package io.splitbot.worker.profile;

import io.splitbot.worker.storage.model.UserProfile;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Profiles in Redis hashes under {@link ProfileCache#key} ({@code profile:user:<id>} for Telegram,
 * {@code profile:<platform>:<id>} otherwise; fields as in the users table: first_name, last_name, username,
 * language_code, profile_source, profile_last_updated, created_at) that expire after PROFILE_TTL. Every worker
 * shares them.
 */
public final class RedisProfileCache implements ProfileCache {
  /** Replace the whole hash and set its lifetime in one step, so no half-written or immortal entry is left. */
  private static final String PUT_SCRIPT = """
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 2))
      redis.call('EXPIRE', KEYS[1], ARGV[1])
      return 1
      """;

  private final RedisAPI redis;
  private final long ttlSeconds;

  public RedisProfileCache(RedisAPI redis, long ttlSeconds) {
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public Future<Optional<UserProfile>> get(String platform, long userId) {
    return redis.hgetall(ProfileCache.key(platform, userId)).map(r -> {
      if (r == null || r.size() == 0) {
        return Optional.<UserProfile>empty();
      }
      // The platform comes from the key: a Telegram entry written before platforms existed has no platform field.
      return Optional.of(new UserProfile(platform, userId, text(r, "first_name"), text(r, "last_name"),
          text(r, "username"), text(r, "language_code"), text(r, "profile_source"), instant(r, "profile_last_updated"),
          instant(r, "created_at")));
    });
  }

  @Override
  public Future<Void> put(UserProfile p) {
    List<String> args = new ArrayList<>(List.of(PUT_SCRIPT, "1", ProfileCache.key(p.platform(), p.userId()),
        String.valueOf(ttlSeconds)));
    args.addAll(List.of("platform", p.platform(), "user_id", String.valueOf(p.userId())));
    add(args, "first_name", p.firstName());
    add(args, "last_name", p.lastName());
    add(args, "username", p.username());
    add(args, "language_code", p.languageCode());
    add(args, "profile_source", p.profileSource());
    add(args, "profile_last_updated", Values.format(p.profileLastUpdated()));
    add(args, "created_at", Values.format(p.createdAt()));
    return redis.eval(args).mapEmpty();
  }

  private static void add(List<String> args, String field, String value) {
    if (value != null) {
      args.add(field);
      args.add(value);
    }
  }

  private static String text(Response hash, String field) {
    Response v = hash.get(field);
    return v == null ? null : v.toString();
  }

  private static java.time.Instant instant(Response hash, String field) {
    String v = text(hash, field);
    return v == null ? null : Values.parseInstant(field, v);
  }
}
