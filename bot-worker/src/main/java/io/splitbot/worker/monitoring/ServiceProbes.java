package io.splitbot.worker.monitoring;

import io.splitbot.shared.log.Redactor;
import io.splitbot.worker.WorkerResources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Timed checks of what the worker depends on, each answering {@code {"status":"UP"|"DOWN", "latency_ms", ...}} and
 * never failing: Redis (a PING) and the storage backend (its own health round trip).
 */
public final class ServiceProbes {
  static final long TIMEOUT_MS = 2_000;

  private final WorkerResources resources;

  public ServiceProbes(WorkerResources resources) {
    this.resources = resources;
  }

  public boolean redisConfigured() {
    return resources.redis() != null;
  }

  public Future<JsonObject> redis() {
    if (resources.redis() == null) {
      return Future.succeededFuture(new JsonObject().put("status", "NOT_CONFIGURED").put("configured", false)
          .put("reason", "REDIS_URL is not set: dedup and dead letters use files under DATA_DIR"));
    }
    long started = System.nanoTime();
    return timed(resources.redis().ping(List.of()), started)
        .map(r -> new JsonObject().put("status", "UP").put("configured", true).put("latency_ms", millisSince(started)))
        .recover(e -> Future.succeededFuture(down(started, e).put("configured", true)));
  }

  public Future<JsonObject> storage() {
    long started = System.nanoTime();
    return timed(resources.storage().health(), started)
        .map(h -> new JsonObject()
            .put("status", h.getBoolean("ok", false) ? "UP" : "DOWN")
            .put("backend", resources.storage().backend())
            .put("latency_ms", millisSince(started)))
        .recover(e -> Future.succeededFuture(down(started, e).put("backend", resources.storage().backend())));
  }

  private static <T> Future<T> timed(Future<T> check, long started) {
    return check.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private static JsonObject down(long started, Throwable e) {
    return new JsonObject().put("status", "DOWN").put("latency_ms", millisSince(started))
        .put("reason", Redactor.mask(String.valueOf(e.getMessage())));
  }

  static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
