package io.splitbot.worker.monitoring;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HEALTH_CHECK_INTERVAL: checks the worker's services in the background (the probes /health/services answers with)
 * and logs each change of state once, a WARN when one goes down and an INFO when it is back, so an outage is in the
 * log whether or not anyone asks. A service starts as up: one that is down at the first check is logged then.
 */
public final class ServiceWatch {
  private static final Logger log = LoggerFactory.getLogger(ServiceWatch.class);

  private final Vertx vertx;
  private final Map<String, Supplier<Future<JsonObject>>> services;
  private final long periodMs;
  private final Map<String, Boolean> up = new HashMap<>();
  private long timer = -1;

  /** @param services each service's probe by name, answering {@code {"status": "UP"|"DOWN"|"NOT_CONFIGURED", "reason"}} */
  public ServiceWatch(Vertx vertx, Map<String, Supplier<Future<JsonObject>>> services, long periodMs) {
    this.vertx = vertx;
    this.services = new LinkedHashMap<>(services);
    this.periodMs = periodMs;
  }

  /** The worker's Redis and storage, as {@link ServiceProbes} checks them. */
  public static ServiceWatch of(Vertx vertx, ServiceProbes probes, MonitoringSettings settings) {
    Map<String, Supplier<Future<JsonObject>>> services = new LinkedHashMap<>();
    services.put("redis", probes::redis);
    services.put("storage", probes::storage);
    return new ServiceWatch(vertx, services, settings.healthCheckSeconds() * 1000L);
  }

  public void start() {
    timer = vertx.setPeriodic(1, periodMs, id -> check());
  }

  /** One round: every probe, and a line for each service whose state changed since the last. */
  Future<Void> check() {
    return Future.join(services.entrySet().stream()
        .map(e -> e.getValue().get().onSuccess(report -> note(e.getKey(), report)))
        .toList()).<Void>mapEmpty().otherwiseEmpty();
  }

  private synchronized void note(String service, JsonObject report) {
    String status = report.getString("status");
    if (!"UP".equals(status) && !"DOWN".equals(status)) {
      return; // not configured: nothing to watch
    }
    boolean nowUp = "UP".equals(status);
    Boolean before = up.put(service, nowUp);
    if (nowUp == (before == null || before)) {
      return;
    }
    if (nowUp) {
      log.info("service check: {} is up again", service);
    } else {
      log.warn("service check: {} is down: {}", service, report.getString("reason", "no reason given"));
    }
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
