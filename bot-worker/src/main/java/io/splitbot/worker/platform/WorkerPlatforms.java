package io.splitbot.worker.platform;

import io.splitbot.shared.retry.RetryLater;
import io.splitbot.worker.effects.GuardedSender;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;

/** The platforms this worker answers on: each one's dialect and the client its calls go out through. */
public final class WorkerPlatforms {

  /** One platform at the worker. */
  public record WorkerPlatform(PlatformDialect dialect, GuardedSender client) {
    public String name() {
      return dialect.platform();
    }
  }

  /**
   * An update of a platform this worker has no client for (its token is not set here). An outage, not a handler
   * failure: the update waits at the edge until a worker that has the token takes it.
   */
  public static final class PlatformOffException extends IllegalStateException implements RetryLater {
    PlatformOffException(String platform) {
      super("an update from " + platform + " arrived, but " + platform + " is not configured at this worker "
          + "(its bot token is not set here); it waits at the edge");
    }
  }

  private final Map<String, WorkerPlatform> byName = new LinkedHashMap<>();

  /** {@code client} is wrapped so every call through it is fitted to the platform's limits ({@link OutgoingFit}). */
  public WorkerPlatforms add(PlatformDialect dialect, GuardedSender client) {
    byName.put(dialect.platform(), new WorkerPlatform(dialect, OutgoingFit.sender(dialect, client)));
    return this;
  }

  /** The platform, or a failed future saying it is not configured here. */
  public Future<WorkerPlatform> of(String name) {
    WorkerPlatform platform = byName.get(name);
    return platform == null ? Future.failedFuture(new PlatformOffException(name)) : Future.succeededFuture(platform);
  }

  public Iterable<WorkerPlatform> all() {
    return byName.values();
  }
}
