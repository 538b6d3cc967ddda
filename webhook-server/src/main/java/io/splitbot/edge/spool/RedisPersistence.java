package io.splitbot.edge.spool;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an ack of the Redis spool is worth, asked of the server once at start. An append is acked once Redis holds
 * it in memory, so it survives a Redis restart only with an append-only file: a server without one is refused unless
 * SPOOL_REDIS_VOLATILE=true accepts the loss, and what a crash can still lose is logged in one line. The settings come
 * from {@code CONFIG GET append*}, else from {@code INFO persistence} (AOF on or off, not the fsync policy); a managed
 * Redis that allows neither gets a warning that the edge cannot tell. With SPOOL_REDIS_WAITAOF=true a trial
 * {@code WAITAOF} checks that the server can confirm each fsync (Redis 7.2 and later).
 */
final class RedisPersistence {
  static final Command WAITAOF = Command.create("waitaof");
  private static final Logger log = LoggerFactory.getLogger(RedisPersistence.class);

  /** AOF on or off and the appendfsync policy, each null where the server did not say. */
  record Settings(Boolean aof, String fsync) {
    static final Settings UNKNOWN = new Settings(null, null);
  }

  private final Redis redis;
  private final String where;
  private final boolean acceptVolatile;
  private final boolean waitAof;
  private final long waitAofMs;

  RedisPersistence(Redis redis, String where, boolean acceptVolatile, boolean waitAof, long waitAofMs) {
    this.redis = redis;
    this.where = where;
    this.acceptVolatile = acceptVolatile;
    this.waitAof = waitAof;
    this.waitAofMs = waitAofMs;
  }

  /** Fails, with the one line to stop start-up with, when acks would be worth less than the operator accepted. */
  Future<Void> check() {
    return read().compose(settings -> waitAof ? tryWaitAof(settings) : judge(settings));
  }

  Future<Settings> read() {
    return redis.send(Request.cmd(Command.CONFIG).arg("GET").arg("append*"))
        .map(reply -> {
          String aof = RedisReplies.field(reply, "appendonly");
          return new Settings(aof == null ? null : aof.equalsIgnoreCase("yes"), RedisReplies.field(reply, "appendfsync"));
        })
        .recover(ifRefused(() -> Settings.UNKNOWN))
        .compose(settings -> settings.aof() != null ? Future.succeededFuture(settings)
            : redis.send(Request.cmd(Command.INFO).arg("persistence"))
                .map(info -> {
                  String enabled = RedisReplies.infoField(info.toString(), "aof_enabled");
                  return enabled == null ? Settings.UNKNOWN : new Settings(enabled.equals("1"), null);
                })
                .recover(ifRefused(() -> Settings.UNKNOWN)));
  }

  private Future<Void> judge(Settings settings) {
    if (Boolean.FALSE.equals(settings.aof())) {
      if (!acceptVolatile) {
        // The spool names the server when it reports this, so the line says it once.
        return Future.failedFuture(new IllegalStateException("the server has no append-only file (appendonly no),"
            + " so a Redis restart would lose every acked update not yet delivered; turn on appendonly yes,"
            + " or set SPOOL_REDIS_VOLATILE=true to accept that"));
      }
      log.warn("SPOOL_REDIS_VOLATILE=true: Redis at {} has no append-only file, so a Redis restart loses every acked update"
          + " not yet delivered", where);
    } else if (settings.aof() == null) {
      log.warn("Redis spool at {}: the server allows neither CONFIG GET nor INFO, so the edge cannot tell what an ack is worth;"
          + " it survives a Redis restart only if the server keeps an append-only file (on Render: a paid Key Value instance"
          + " with the Journal + Snapshot persistence mode)", where);
    } else if (settings.fsync() == null) {
      log.info("Redis spool at {}: the append-only file is on (INFO persistence) and its fsync policy unknown; with"
          + " appendfsync everysec a crash can lose up to a second of acked updates", where);
    } else {
      switch (settings.fsync().toLowerCase()) {
        case "always" -> log.info("Redis spool at {}: appendonly yes, appendfsync always: an acked update survives a restart"
            + " or a crash of Redis and of its host", where);
        case "everysec" -> log.warn("Redis spool at {}: appendfsync everysec: a crash of Redis or of its host can lose up to"
            + " one second of acked updates; SPOOL_REDIS_WAITAOF=true (Redis 7.2+) makes each ack wait for the fsync", where);
        default -> log.warn("Redis spool at {}: appendfsync {}: the operating system decides when the append-only file"
            + " reaches the disk (about every 30 s on Linux), so a crash of the host can lose that much", where, settings.fsync());
      }
    }
    return Future.succeededFuture();
  }

  /** One WAITAOF at start: it fails at once on a server that lacks the command or an append-only file. */
  private Future<Void> tryWaitAof(Settings settings) {
    if (Boolean.FALSE.equals(settings.aof())) {
      return Future.failedFuture(new IllegalStateException(
          "SPOOL_REDIS_WAITAOF=true needs an append-only file, and the server has none (appendonly no)"));
    }
    return redis.send(Request.cmd(WAITAOF).arg(1).arg(0).arg(waitAofMs))
        .recover(e -> Future.failedFuture(!(e instanceof Response) ? e
            : new IllegalStateException("SPOOL_REDIS_WAITAOF=true needs WAITAOF (Redis 7.2 or later, or Valkey), and the"
                + " server refused it: " + e.getMessage())))
        .compose(reply -> {
          if (reply.get(0).toInteger() < 1) {
            return Future.failedFuture(new IllegalStateException("SPOOL_REDIS_WAITAOF=true: the server did not confirm"
                + " an fsync of its append-only file within " + waitAofMs + " ms"));
          }
          log.info("Redis spool at {}: each ack waits until Redis has fsynced the update to its append-only file"
              + " (SPOOL_REDIS_WAITAOF=true{})", where, settings.fsync() == null ? "" : ", appendfsync " + settings.fsync());
          return Future.succeededFuture();
        });
  }

  /** Recovers only from a refusal (an error reply: unknown or renamed command, no permission), not from an outage. */
  private static <T> Function<Throwable, Future<T>> ifRefused(Supplier<T> instead) {
    return e -> e instanceof Response ? Future.succeededFuture(instead.get()) : Future.failedFuture(e);
  }
}
