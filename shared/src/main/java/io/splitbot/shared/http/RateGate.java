package io.splitbot.shared.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HexFormat;

/**
 * Where the outgoing throttle's rate decisions are made. One send needs a permit from the bot's global limit and from
 * its chat's own limit (a private chat's bucket or a group's window, {@link OutgoingThrottle.Limits}), taken together
 * or not at all, and taken last, when nothing else stands between the request and the wire: the platform counts
 * messages as they arrive, so a permit spent late would let them arrive closer together than the limits.
 * {@link LocalRateGate} decides in this process; {@link RedisRateGate} in Redis, for every worker of the bot at once.
 * {@link OutgoingThrottle} keeps the order of each chat's sends; a gate only counts.
 */
public interface RateGate {
  /**
   * A gate's answer: {@code waitMs} 0 means a permit was taken from every limit the send needs; otherwise nothing was
   * taken, and the send may ask again after {@code waitMs}. {@code chatHolds} says the chat's own limit is what holds
   * it, so the sender need not keep others waiting meanwhile.
   */
  record Answer(long waitMs, boolean chatHolds) {
    public static final Answer GO = new Answer(0, false);

    public boolean go() {
      return waitMs <= 0;
    }
  }

  /** Takes a permit for one send to {@code chatKey} (null: the global limit only), or answers the wait. Never fails. */
  Future<Answer> acquire(String chatKey);

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
