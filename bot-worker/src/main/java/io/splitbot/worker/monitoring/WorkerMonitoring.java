package io.splitbot.worker.monitoring;

import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.cluster.Members;
import io.splitbot.shared.http.MonitoringAccess;
import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.metrics.Metrics;
import io.splitbot.shared.monitoring.RateWindow;
import io.splitbot.worker.WorkerResources;
import io.splitbot.worker.pipeline.WorkerStats;
import io.splitbot.worker.storage.dual.AutoMigration;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.shared.deadletter.DeadLetterOwner;
import io.splitbot.worker.console.OpsConsole;
import io.splitbot.worker.pipeline.ChatSequencer;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The worker's monitoring: {@code /monitoring/webhook/stats}, {@code /monitoring/members} (every edge and worker
 * on the bus, as its {@link Members} view has them), {@code /monitoring/profiles/coverage},
 * {@code /monitoring/profiles/quality}, {@code /monitoring/cache-health}, {@code /monitoring/migration} (dual
 * storage's migration into the primary) and {@code /metrics} on the worker's HTTP
 * port (to callers {@link MonitoringAccess} allows), the ops console ({@link OpsConsole}, {@code /console}), and the answer
 * to the edge's health probe ({@link Addresses#WORKER_HEALTH}) behind {@code /health/services}. With
 * MONITORING_ENABLED=false only /metrics and the health answer are served.
 * The alerts are checked every {@link #CHECK_MS} as well as on each answer, so one starts (a WARN line, a gauge) when
 * the figures cross its threshold whether or not anyone is looking.
 */
public final class WorkerMonitoring {
  static final long CHECK_MS = 10_000;

  private final Vertx vertx;
  private final WorkerResources resources;
  private final RateWindow rates;
  private final WorkerStats stats;
  private final WebhookStats webhookStats;
  private final PlatformUpdates updates;
  private final MonitoringAlerts alerts;
  private final ProfileStatistics statistics;
  private final ProfileCoverage coverage;
  private final ProfileQuality quality;
  private final CacheHealth cacheHealth;
  private final ServiceProbes probes;
  private final AutoMigration migration;
  private final BooleanSupplier draining;
  private final IntSupplier inFlight;
  private final Members members;
  private final Supplier<List<ChatSequencer.ChatLoad>> chats;
  private OpsConsole console;
  private MessageConsumer<JsonObject> healthConsumer;
  private long checkTimer = -1;

  /**
   * @param probes the worker's shared dependency probes (its /health/ready uses them too)
   * @param migration dual storage's migration into the primary (state, progress, which side is read); null for a
   *     plain backend
   * @param members the worker's membership: the edges whose stats it adds up, the members it lists
   * @param chats the pipeline's chats in flight, for the ops console (empty while it handles no updates)
   */
  public WorkerMonitoring(Vertx vertx, WorkerResources resources, ServiceProbes probes, AutoMigration migration,
      Members members, WorkerStats stats, BooleanSupplier draining, IntSupplier inFlight,
      Supplier<List<ChatSequencer.ChatLoad>> chats) {
    this.migration = migration;
    this.members = members;
    this.chats = chats;
    this.vertx = vertx;
    this.resources = resources;
    this.stats = stats;
    this.rates = WebhookStats.rateWindow(stats);
    this.updates = new PlatformUpdates();
    this.alerts = new MonitoringAlerts(resources.config().alerts());
    this.statistics = new ProfileStatistics(resources.storage());
    this.webhookStats = new WebhookStats(vertx, members, stats, rates, resources.deadLetters(), updates, alerts);
    this.coverage = new ProfileCoverage(statistics, alerts);
    this.quality = new ProfileQuality(statistics, alerts);
    this.cacheHealth = new CacheHealth(resources.redis(), resources.config().profiles().cacheEnabled());
    this.probes = probes;
    this.draining = draining;
    this.inFlight = inFlight;
  }

  /**
   * {@code process} (the pipeline's way in), counting each update's outcome under its platform for the per-platform
   * figures and the {@code webhook_error_rate} alert.
   */
  public Function<UpdateEnvelope, Future<HandleReply>> counting(Function<UpdateEnvelope, Future<HandleReply>> process) {
    return updates.counting(process);
  }

  /**
   * Starts the per-minute windows, the profile counts, the alert checks and the health responder; mounts /metrics,
   * and the monitoring routes and the ops console unless MONITORING_ENABLED=false (then those paths are unknown, 404).
   */
  public Future<Void> start(Router router, MonitoringAccess access, String workerId) {
    rates.start(vertx);
    updates.start(vertx);
    statistics.start(vertx);
    checkTimer = vertx.setPeriodic(CHECK_MS, id -> checkAlerts());
    PrometheusMeterRegistry registry = Metrics.registry(vertx);
    WorkerMetrics.bind(registry, stats, resources.api());
    WorkerMetrics.bindAlerts(registry, alerts);
    Handler<RoutingContext> scrape = Metrics.scrapeHandler(vertx);
    router.get("/metrics").handler(access.guard());
    router.get("/metrics").handler(ctx -> {
      // Caches count with CacheStats whenever they are first used; bind any new one before the scrape.
      CacheStats.all().values().forEach(cache -> WorkerMetrics.bindCache(registry, cache));
      scrape.handle(ctx);
    });
    healthConsumer = vertx.eventBus().consumer(Addresses.WORKER_HEALTH, msg -> workerHealth(workerId).onSuccess(msg::reply));
    if (resources.config().monitoring().served()) {
      mountMonitoring(router, access, registry, workerId);
    }
    return healthConsumer.completion();
  }

  private void mountMonitoring(Router router, MonitoringAccess access, PrometheusMeterRegistry registry, String workerId) {
    router.route("/monitoring/*").handler(access.guard());
    router.get("/monitoring/webhook/stats").handler(ctx -> answer(ctx, webhookStats.report(), 200));
    router.get("/monitoring/members").handler(ctx -> answer(ctx,
        Future.succeededFuture(new JsonObject().put("members", members.toJson())), 200));
    router.get("/monitoring/profiles/coverage").handler(ctx -> answer(ctx, coverage.report(), 200));
    router.get("/monitoring/profiles/quality").handler(ctx -> answer(ctx, quality.report(), 200));
    router.get("/monitoring/migration").handler(ctx -> answer(ctx, Future.succeededFuture(migration == null
        ? new JsonObject().put("status", "NOT_CONFIGURED").put("reason", "STORAGE_BACKEND is not dual: nothing to migrate")
        : migration.status()), 200));
    router.get("/monitoring/cache-health").handler(ctx -> answer(ctx, cacheHealth.report(),
        report -> "DOWN".equals(report.getString("status")) ? 503 : 200));
    console = OpsConsole.create(vertx, stats, () -> WorkerMetrics.handlerTimers(registry), webhookStats::edges,
        () -> workerHealth(workerId), chats, inFlight, members, resources.deadLetters(),
        DeadLetterOwner.EDGE.open(vertx, resources.config().core(), resources.redis()));
    console.mount(router, access);
  }

  /**
   * The worker's own parts of the health answer: itself, a timed check of Redis and of its storage, and with dual
   * storage the migration's state.
   */
  private Future<JsonObject> workerHealth(String workerId) {
    Future<JsonObject> redis = probes.redis();
    Future<JsonObject> storage = probes.storage();
    return Future.join(redis, storage).transform(ar -> {
      JsonObject health = new JsonObject()
          .put("worker", new JsonObject()
              .put("status", draining.getAsBoolean() ? "DOWN" : "UP")
              .put("worker", workerId)
              .put("in_flight", inFlight.getAsInt())
              .put("handles_updates", resources.api() != null))
          .put("redis", redis.result())
          .put("storage", storage.result());
      if (migration != null) {
        health.put("migration", migration.status());
      }
      return Future.succeededFuture(health);
    });
  }

  /** Compares the current figures with the thresholds; the checks log and set the gauges. */
  private void checkAlerts() {
    alerts.checkWebhookErrors(updates.errorRates());
    statistics.snapshot().onSuccess(s -> alerts.checkProfileQuality(s.realFirstNameShares()));
  }

  public Future<Void> stop() {
    vertx.cancelTimer(checkTimer);
    updates.stop();
    statistics.stop();
    rates.stop();
    Future<Void> consoleStopped = console == null ? Future.succeededFuture() : console.stop();
    return consoleStopped.eventually(() -> healthConsumer == null ? Future.succeededFuture() : healthConsumer.unregister());
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> report, int status) {
    answer(ctx, report, r -> status);
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> report, java.util.function.ToIntFunction<JsonObject> status) {
    report.onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      if (ar.failed()) {
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("ok", false).put("error", Redactor.mask(String.valueOf(ar.cause().getMessage()))).encode());
        return;
      }
      ctx.response().setStatusCode(status.applyAsInt(ar.result()))
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(ar.result().encodePrettily());
    });
  }
}
