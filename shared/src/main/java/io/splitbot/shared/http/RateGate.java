package io.splitbot.shared.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HexFormat;

/**
 * Where the outgoing throttle's rate decisions are made: one send to a chat needs a permit from the global limit and
 * from its chat's own limit (a private chat's bucket or a group's window, {@link OutgoingThrottle.Limits}), taken
 * together or not at all. {@link LocalRateGate} decides in this process; {@link RedisRateGate} in Redis, for every
 * worker of the bot at once. {@link OutgoingThrottle} keeps the order of each chat's sends; a gate only counts.
 */
public interface RateGate {
  /**
   * Takes a permit for one send to {@code chatKey} (null: the global limit only) from every scope it needs, and
   * answers 0; or takes nothing and answers how many milliseconds to wait before asking again. Never fails.
   */
  Future<Long> acquire(String chatKey);

  /** Stops the gate's own timers; later answers still come, from what the gate knows. */
  default void close() {
  }

  /**
   * The name a bot's limits go by, without its secret: {@code platform:<id>} for a token that starts with its bot's
   * id and a ':' (Telegram's), else {@code platform:} and the start of the token's SHA-256.
   */
  static String botName(String platform, String token) {
    int colon = token.indexOf(':');
    if (colon > 0 && token.substring(0, colon).chars().allMatch(Character::isDigit)) {
      return platform + ":" + token.substring(0, colon);
    }
    return platform + ":" + HexFormat.of().formatHex(BearerToken.sha256(token), 0, 8);
  }

  /** Makes the gate for one API client. */
  interface Factory {
    /** Each process on its own: right when it is the bot's only sender. */
    Factory LOCAL = (vertx, limits, bot) -> new LocalRateGate(limits);

    /**
     * {@code bot} names the bot and its platform without any secret (e.g. {@code telegram:123456}, the number before
     * the token's ':'): two bots sharing one Redis must not share their limits.
     */
    RateGate create(Vertx vertx, OutgoingThrottle.Limits limits, String bot);
  }
}
