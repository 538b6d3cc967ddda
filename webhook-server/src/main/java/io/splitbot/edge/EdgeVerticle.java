package io.splitbot.edge;

import io.splitbot.edge.deadletter.EdgeDeadLetters;
import io.splitbot.edge.forward.UpdateForwarder;
import io.splitbot.edge.health.EdgeHealthChecks;
import io.splitbot.edge.health.ServicesHealth;
import io.splitbot.shared.http.HealthAnswer;
import io.splitbot.shared.http.JsonErrors;
import io.splitbot.shared.http.MonitoringAccess;
import io.splitbot.shared.http.ServerOptions;
import io.splitbot.edge.http.WebhookHandler;
import io.splitbot.edge.metrics.EdgeMetrics;
import io.splitbot.edge.routing.LegacyWebhookClient;
import io.splitbot.edge.routing.RolloutRouter;
import io.splitbot.edge.spool.Spool;
import io.splitbot.edge.spool.Spools;
import io.splitbot.edge.platform.EdgePlatform;
import io.splitbot.edge.platform.EdgePlatforms;
import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.cluster.Member;
import io.splitbot.shared.cluster.Members;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.deadletter.DeadLetterReplayer;
import io.splitbot.shared.metrics.LatencyHistogram;
import io.splitbot.shared.metrics.Metrics;
import io.splitbot.shared.monitoring.RateWindow;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.VerticleBase;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The edge: webhook endpoint, spool, forwarder and health. It holds no handler code and no database driver. */
public final class EdgeVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(EdgeVerticle.class);

  private final SplitbotConfig config;
  private final EdgeStats stats = new EdgeStats();
  private volatile boolean draining;
  private Spool spool;
  private EdgeDeadLetters deadLetters;
  private DeadLetterReplayer replayer;
  private UpdateForwarder forwarder;
  private HttpServer server;
  private List<EdgePlatform> platforms;
  private RolloutRouter rollout;
  private LegacyWebhookClient legacy;
  private RateWindow rates;
  private MessageConsumer<JsonObject> statsConsumer;
  private MessageConsumer<JsonObject> servicesConsumer;
  private Members members;

  public EdgeVerticle(SplitbotConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    // Before the spool is opened or the webhook listens: an edge that must not run beside another stops here.
    return Members.join(vertx, Member.EDGE, "redis".equals(config.delivery().spool()),
        () -> forwarder == null ? 0 : forwarder.pending(), this::memberDetails).compose(m -> {
          members = m;
          return open();
        });
  }

  /** What the edge's own member address answers: its stats, as {@link Addresses#EDGE_STATS} does. */
  private Future<JsonObject> memberDetails() {
    if (rates == null) {
      return Future.failedFuture("the edge is starting");
    }
    return deadLetters.countJson().map(count -> statsJson().put("dead_letters", count));
  }

  private Future<?> open() {
    platforms = EdgePlatforms.enabled(vertx, config);
    spool = Spools.create(vertx, config);
    deadLetters = EdgeDeadLetters.open(vertx, config);
    EdgeMetrics.bind(Metrics.registry(vertx), stats, spool, platforms.stream().map(EdgePlatform::name).toList());
    rollout = new RolloutRouter(config.routing());
    if (config.routing().enabled()) {
      legacy = new LegacyWebhookClient(vertx, config.routing().legacyUrl(), config.routing().legacySecret(),
          config.delivery().forwardTimeoutMs(), Math.min(100, config.delivery().forwardConcurrency()));
      SplitbotConfig.Routing r = config.routing();
      log.info("migration routing on: {} -> {}", r.useLegacy()
          ? "USE_LEGACY=true, every chat" : r.rolloutPercentage() + "% of chats (+" + r.allowChats().size() + " allowed) to the new worker, the rest",
          legacy.where());
    }
    forwarder = new UpdateForwarder(vertx, spool, deadLetters.store(), stats, config.delivery(), legacy);
    rates = new RateWindow()
        .track("received", stats.received::get)
        .track("acked", stats.acked::get)
        .track("forwarded", () -> stats.forwarded.get() + stats.legacyForwarded.get())
        .track("retried", () -> stats.retried.get() + stats.legacyRetried.get())
        .track("redelivered", stats.redelivered::get)
        .track("dead_lettered", stats.deadLettered::get)
        .track("routed_worker", stats.routedWorker::get)
        .track("routed_legacy", stats.routedLegacy::get)
        .start(vertx);
    // The worker's /monitoring/webhook/stats asks here, over the event bus: the same in one JVM and in two.
    statsConsumer = vertx.eventBus().consumer(Addresses.EDGE_STATS, msg -> memberDetails().onSuccess(msg::reply));
    // The spool feeds the forwarder from here on: what it holds from before, then (file) each append, or (Redis) the
    // partitions this edge holds.
    return spool.open(forwarder).compose(v -> {
      if (spool.size() > 0) {
        log.info("spool holds {} updates from before; forwarding them to the worker", spool.size());
      }
      // Replays the CLI asks for: spooled again and delivered with a fresh budget.
      replayer = new DeadLetterReplayer(vertx, deadLetters.store(), forwarder::replay, 2000);
      replayer.start();
      return vertx.createHttpServer(ServerOptions.http1())
          .requestHandler(requests())
          .listen(config.http().edgePort(), config.http().host());
    }).onSuccess(s -> {
      server = s;
      log.info("edge listening on port {} (POST {})", s.actualPort(),
          String.join(", ", platforms.stream().map(EdgePlatform::path).toList()));
      platforms.forEach(EdgePlatform::register);
    });
  }

  /** Webhook posts go straight to their platform's handler, the hot path; everything else through the router. */
  private Handler<HttpServerRequest> requests() {
    Map<String, WebhookHandler> webhooks = new HashMap<>();
    for (EdgePlatform platform : platforms) {
      WebhookHandler webhook = new WebhookHandler(platform, config.webhook(), spool, stats, () -> draining, rollout);
      webhooks.put(platform.path(), webhook);
      webhooks.put(platform.path() + "/", webhook);
    }
    Router router = router();
    return request -> {
      WebhookHandler webhook = webhooks.get(request.path());
      if (webhook != null) {
        // The route label of the HTTP metrics, as the router would give it.
        webhook.handle(request.routed(webhook.path()));
      } else {
        router.handle(request);
      }
    };
  }

  private Router router() {
    Router router = Router.router(vertx);
    // The port is public: health answers give anyone the status alone, the detail and /metrics need MonitoringAccess.
    MonitoringAccess access = new MonitoringAccess(config.http().monitoringToken());
    router.get("/health/live").handler(HealthAnswer.of(EdgeHealthChecks.live(vertx), access));
    EdgeHealthChecks.Checks checks = EdgeHealthChecks.acceptingAndReady(vertx, spool, config.delivery().spoolMaxUpdates(),
        () -> draining);
    router.get(EdgeHealthChecks.ACCEPTING_PATH).handler(HealthAnswer.of(checks.accepting(), access));
    router.get("/health/ready").handler(HealthAnswer.of(checks.ready(), access));
    router.get("/metrics").handler(access.guard()).handler(Metrics.scrapeHandler(vertx));
    ServicesHealth services = new ServicesHealth(vertx, config, spool, legacy, deadLetters, members, () -> draining);
    router.get("/health/services").handler(services.handler(access));
    // The worker's ops console shows the same detail, asked over the event bus: the same in one JVM and in two.
    servicesConsumer = vertx.eventBus().consumer(Addresses.EDGE_SERVICES, msg -> services.detail().onSuccess(msg::reply));
    router.errorHandler(404, ctx -> JsonErrors.send(ctx, 404, "not found"));
    router.errorHandler(405, ctx -> JsonErrors.send(ctx, 405, "method not allowed"));
    router.errorHandler(413, ctx -> JsonErrors.send(ctx, 413, "body is larger than " + config.webhook().maxBodyBytes() + " bytes"));
    router.errorHandler(500, ctx -> {
      log.error("unexpected error on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
      JsonErrors.send(ctx, 500, "internal error");
    });
    return router;
  }

  public int actualPort() {
    return server.actualPort();
  }

  public EdgeStats stats() {
    return stats;
  }

  public Spool spool() {
    return spool;
  }

  /**
   * What the edge reports to monitoring: counters since start and over the last minute, spool depth, the routing
   * settings, and the webhooks' time to acknowledge ({@link LatencyHistogram}: the ops console's ack percentiles).
   */
  public JsonObject statsJson() {
    SplitbotConfig.Routing routing = config.routing();
    return new JsonObject()
        .put("edge", deploymentID())
        .put("totals", stats.toJson())
        .put("platforms", stats.platformsJson())
        .put("per_minute", rates.perMinute())
        .put("spool", new JsonObject()
            .put("kind", config.delivery().spool())
            .put("depth", spool.size())
            .put("max", config.delivery().spoolMaxUpdates())
            .put("partitions_held", spool.partitionsHeld()))
        .put("pending_deliveries", forwarder.pending())
        .put("routing", new JsonObject()
            .put("enabled", routing.enabled())
            .put("use_legacy", routing.useLegacy())
            .put("rollout_basis_points", routing.enabled() ? routing.rolloutBasisPoints() : RolloutRouter.BUCKETS)
            .put("allowed_chats", routing.allowChats().size()))
        .put("ack_latency", LatencyHistogram.of(Metrics.ackTimers(Metrics.registry(vertx))).toJson());
  }

  /** SIGTERM: answer 503 to new updates and let deliveries in flight finish within the grace period. */
  public Future<Void> drain() {
    draining = true;
    return Future.future(p -> context.runOnContext(v -> {
      members.leave();
      forwarder.drain(config.delivery().shutdownGraceSeconds() * 1000L).onComplete(p);
    }));
  }

  @Override
  public Future<?> stop() {
    if (members != null) {
      members.leave();
    }
    if (platforms != null) {
      platforms.forEach(EdgePlatform::close);
    }
    if (legacy != null) {
      legacy.close();
    }
    if (rates != null) {
      rates.stop();
    }
    if (statsConsumer != null) {
      statsConsumer.unregister();
    }
    if (servicesConsumer != null) {
      servicesConsumer.unregister();
    }
    if (replayer != null) {
      replayer.stop();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> spool == null ? Future.succeededFuture() : spool.close())
        .eventually(() -> deadLetters == null ? Future.succeededFuture() : deadLetters.close());
  }
}
