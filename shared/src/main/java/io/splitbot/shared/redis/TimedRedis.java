package io.splitbot.shared.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Redis client whose every command, and every batch, fails with a {@link RedisUnavailableException} (a
 * {@code RetryLater}) after a fixed time, counted from the call (so a connection that cannot be had counts too), and
 * likewise when Redis cannot be reached. A timed-out command may still run on the server later; callers treat it as
 * "outcome unknown", like any other outage.
 */
final class TimedRedis implements Redis {
  private final Redis delegate;
  private final long timeoutMs;

  TimedRedis(Redis delegate, long timeoutMs) {
    this.delegate = delegate;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<Response> send(Request request) {
    return timed(delegate.send(request), name(request));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    String what = requests.isEmpty() ? "an empty batch" : "a batch of " + requests.size() + " from " + name(requests.get(0));
    return timed(delegate.batch(requests), what);
  }

  /**
   * Only getting the connection is timed (one that comes too late goes back to the pool); commands sent on it
   * directly are not. Nothing in splitbot sends on a connection of its own.
   */
  @Override
  public Future<RedisConnection> connect() {
    Future<RedisConnection> connection = delegate.connect();
    return timed(connection, "a connection").onFailure(e -> connection.onSuccess(RedisConnection::close));
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  private static boolean connectionClosed(Throwable e) {
    return String.valueOf(e.getMessage()).startsWith("CONNECTION_CLOSED");
  }

  private static String name(Request request) {
    return request.command().toString().toUpperCase(Locale.ROOT);
  }

  /**
   * A Redis error reply stays as it is; no answer in time, or no connection, is a {@link RedisUnavailableException}.
   * So is the client's own CONNECTION_CLOSED, with which it fails the commands pending on a connection that closed:
   * it has the type of an error reply, but Redis never answered.
   */
  private <T> Future<T> timed(Future<T> call, String what) {
    return call.timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(e -> Future.failedFuture(
        e instanceof Response && !connectionClosed(e) || e instanceof RedisUnavailableException ? e
            : e instanceof TimeoutException
                ? new RedisUnavailableException("Redis did not answer " + what + " within " + timeoutMs + " ms", e)
                : new RedisUnavailableException("Redis is unreachable: " + e.getMessage(), e)));
  }
}
