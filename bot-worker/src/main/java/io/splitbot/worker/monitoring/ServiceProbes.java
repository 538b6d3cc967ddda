package io.splitbot.worker.monitoring;

import io.splitbot.shared.monitoring.SharedProbe;
import io.splitbot.worker.WorkerResources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Timed checks of what the worker depends on, each answering {@code {"status":"UP"|"DOWN", "latency_ms", ...}} and
 * never failing: Redis (a PING) and the storage backend (its own health round trip). Each is a {@link SharedProbe}:
 * the edge's /health/services and the worker's /health/ready share one probe per dependency at a time, and its
 * outcome for {@link SharedProbe#DEFAULT_TTL_MS}, so no number of health requests multiplies the calls.
 *
 * <p>A reason is one of the fixed texts below, never an exception's message: those name hosts, ports and paths.
 */
public final class ServiceProbes {
  static final long TIMEOUT_MS = 2_000;
  static final String REDIS_DOWN = "Redis did not answer in time, or refused the command";
  static final String STORAGE_DOWN = "the storage backend did not answer its health check";
  static final String STORAGE_UNHEALTHY = "the storage backend reports it is not healthy";

  private final WorkerResources resources;
  private final SharedProbe<JsonObject> redis;
  private final SharedProbe<JsonObject> storage;

  public ServiceProbes(WorkerResources resources) {
    this.resources = resources;
    this.redis = new SharedProbe<>(this::probeRedis);
    this.storage = new SharedProbe<>(this::probeStorage);
  }

  public boolean redisConfigured() {
    return resources.redis() != null;
  }

  public Future<JsonObject> redis() {
    return redis.get();
  }

  public Future<JsonObject> storage() {
    return storage.get();
  }

  private Future<JsonObject> probeRedis() {
    if (resources.redis() == null) {
      return Future.succeededFuture(new JsonObject().put("status", "NOT_CONFIGURED").put("configured", false)
          .put("reason", "REDIS_URL is not set: dedup and dead letters use files under DATA_DIR"));
    }
    long started = System.nanoTime();
    return timed(resources.redis().ping(List.of()))
        .map(r -> new JsonObject().put("status", "UP").put("configured", true).put("latency_ms", millisSince(started)))
        .recover(e -> Future.succeededFuture(down(started, REDIS_DOWN).put("configured", true)));
  }

  private Future<JsonObject> probeStorage() {
    long started = System.nanoTime();
    String backend = resources.storage().backend();
    // only "ok" is read: the backend's own health answer names its host, database or directory
    return timed(resources.storage().health())
        .map(h -> h.getBoolean("ok", false)
            ? new JsonObject().put("status", "UP").put("backend", backend).put("latency_ms", millisSince(started))
            : down(started, STORAGE_UNHEALTHY).put("backend", backend))
        .recover(e -> Future.succeededFuture(down(started, STORAGE_DOWN).put("backend", backend)));
  }

  private static <T> Future<T> timed(Future<T> check) {
    return check.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private static JsonObject down(long started, String reason) {
    return new JsonObject().put("status", "DOWN").put("latency_ms", millisSince(started)).put("reason", reason);
  }

  static long millisSince(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
