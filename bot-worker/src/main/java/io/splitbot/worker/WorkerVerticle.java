package io.splitbot.worker;

import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.bus.BusMessages;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.cluster.Member;
import io.splitbot.shared.cluster.Members;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.deadletter.DeadLetterReplayer;
import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.telegram.BotApiClient;
import io.splitbot.shared.update.UpdateEnvelope;
import io.splitbot.worker.bot.Bot;
import io.splitbot.worker.bot.BotModule;
import io.splitbot.worker.module.ModuleFailedException;
import io.splitbot.worker.module.RuntimeBotContext;
import io.splitbot.worker.http.WorkerHttpServer;
import io.splitbot.worker.monitoring.WorkerMonitoring;
import io.splitbot.worker.pipeline.ChatSequencer;
import io.splitbot.worker.platform.telegram.StartupCalls;
import io.splitbot.worker.pipeline.UpdatePipeline;
import io.splitbot.worker.pipeline.WorkerStats;
import io.splitbot.worker.platform.telegram.LongPoller;
import io.splitbot.worker.profile.ProfileCapture;
import io.splitbot.worker.platform.max.MaxPoller;
import io.splitbot.worker.session.Sessions;
import io.splitbot.worker.storage.StorageConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.splitbot.shared.http.MonitoringAccess;
import io.splitbot.worker.monitoring.ServiceProbes;
import io.splitbot.worker.monitoring.ServiceWatch;
import io.splitbot.worker.storage.dual.AutoMigration;
import io.splitbot.worker.storage.dual.DualStorage;
import io.vertx.ext.healthchecks.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker: consumes updates from the event bus (or fetches them by long polling), runs them through the
 * pipeline, answers the edge once each is handled, and serves health on WORKER_PORT.
 */
public final class WorkerVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(WorkerVerticle.class);

  private final WorkerConfig workerConfig;
  private final SplitbotConfig config;
  private final BotModule module;
  private final Consumer<Router> extraRoutes;
  private final WorkerStats stats = new WorkerStats();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private WorkerResources resources;
  private UpdatePipeline pipeline;
  private Function<UpdateEnvelope, Future<HandleReply>> process;
  private ChatSequencer sequencer;
  private LongPoller poller;
  private MaxPoller maxPoller;
  private DeadLetterReplayer replayer;
  private WorkerHttpServer http;
  private WorkerMonitoring monitoring;
  private MonitoringAccess access;
  private ServiceProbes probes;
  private ServiceWatch watch;
  /** Dual storage's migration at start (AUTO_MIGRATE) and read side; null for a plain backend. */
  private AutoMigration migration;
  private volatile boolean draining;
  private Members members;

  /** @param module builds the bot once the worker's resources (Bot API, stores, HTTP router) are open. */
  public WorkerVerticle(WorkerConfig config, BotModule module) {
    this(config, module, router -> { });
  }

  /** @param extraRoutes mounts more on the worker's port beside the module's routes (the sandbox's chat page) */
  public WorkerVerticle(WorkerConfig config, BotModule module, Consumer<Router> extraRoutes) {
    this.workerConfig = config;
    this.config = config.core();
    this.module = module;
    this.extraRoutes = extraRoutes;
  }

  @Override
  public Future<?> start() {
    // Before anything of the worker's is open or registered: a worker that must not run beside another stops here.
    Future<Members> joined = Members.join(vertx, Member.WORKER, config.redis().configured(),
        () -> pipeline == null ? 0 : pipeline.inFlight(),
        () -> Future.succeededFuture(new JsonObject().put("handles_updates", process != null)));
    return joined.compose(m -> {
      members = m;
      return WorkerResources.open(vertx, workerConfig);
    }).compose(r -> {
      resources = r;
      if (resources.storage() instanceof DualStorage dual) {
        migration = new AutoMigration(vertx, dual, members.self().node()); // the node id: unique per process
        migration.start(); // in the background: the worker serves meanwhile, dual writes keep both sides current
      }
      access = new MonitoringAccess(config.http().monitoringToken());
      probes = new ServiceProbes(resources);
      if (workerConfig.monitoring().watched()) {
        watch = ServiceWatch.of(vertx, probes, workerConfig.monitoring());
        watch.start();
      }
      http = new WorkerHttpServer(vertx, liveChecks(), readyChecks(), access);
      Bot bot;
      try {
        bot = module.create(new RuntimeBotContext(vertx, resources, http.router(), workerConfig.env(), module.getClass().getName()));
        if (bot == null) {
          throw new IllegalStateException("create returned null instead of a Bot");
        }
      } catch (Exception | LinkageError e) {
        // LinkageError: a class the module needs is not on the classpath (its library jar left out of -cp).
        return Future.failedFuture(new ModuleFailedException(module.getClass().getName(), e));
      }
      extraRoutes.accept(http.router());
      monitoring = new WorkerMonitoring(vertx, resources, probes, migration, members, stats, () -> draining,
          () -> pipeline == null ? 0 : pipeline.inFlight(), () -> sequencer == null ? List.of() : sequencer.chats());
      Future<?> listening = Future.join(monitoring.start(http.router(), access, deploymentID()),
          http.listen(config.http().workerPort(), config.http().workerHost()));
      if (resources.api() == null && resources.max() == null) {
        log.warn("neither TELEGRAM_BOT_TOKEN nor MAX_BOT_TOKEN is set, so the worker handles no updates (health only). "
            + "Get a token from @BotFather, then run: TELEGRAM_BOT_TOKEN=<token> java -jar bot-worker.jar; "
            + "or try the bot offline first, in a browser: java -jar bot-worker.jar sandbox");
        return listening.mapEmpty();
      }
      return Future.join(listening, startPipeline(bot)).mapEmpty();
    });
  }

  private Future<?> startPipeline(Bot bot) {
    sequencer = new ChatSequencer(config.worker().concurrency());
    BotApiClient api = resources.api();
    pipeline = new UpdatePipeline(vertx, bot, resources.platforms(), resources.effects(), resources.dedup(), resources.deadLetters(),
        sequencer, config.worker().maxHandlerAttempts(), stats, new Sessions(resources.sessionStore()),
        new ProfileCapture(resources.profiles()));
    process = monitoring.counting(pipeline::process); // each outcome counted per platform
    if (resources.redis() == null && sessionsInAirtable()) {
      // Every update reads its chat's session: at Airtable's 5 requests/s per base that caps the whole bot.
      log.warn("sessions are kept in Airtable, one read per update at 5 requests/s at most: set REDIS_URL to keep them in Redis");
    }
    replayer = new DeadLetterReplayer(vertx, resources.deadLetters(),
        update -> pipeline.replay(update).map(reply -> reply == HandleReply.HANDLED), 2000);
    replayer.start();

    BusMessages.register(vertx);
    MessageConsumer<Object> updates = vertx.eventBus().consumer(Addresses.WORKER_UPDATES, this::onUpdate);
    MessageConsumer<JsonObject> ping = vertx.eventBus().consumer(Addresses.WORKER_PING,
        msg -> msg.reply(new JsonObject().put("worker", deploymentID()).put("in_flight", pipeline.inFlight())));
    consumers.add(updates);
    consumers.add(ping);
    List<String> modes = new ArrayList<>();
    if (api != null) {
      StartupCalls.run(api, bot.commandMenu(), !config.telegram().polling());
      if (config.telegram().polling()) {
        poller = new LongPoller(vertx, api, config.telegram().allowedUpdates(), process);
        poller.start();
      }
      modes.add("Telegram " + config.telegram().mode());
    }
    if (resources.max() != null) {
      if (config.max().polling()) {
        maxPoller = new MaxPoller(vertx, resources.max(), process);
        maxPoller.start();
      }
      modes.add("MAX " + config.max().mode());
    }
    log.info("worker ready ({}, up to {} chats at once)", String.join(" and ", modes), config.worker().concurrency());
    return Future.join(updates.completion(), ping.completion());
  }

  private boolean sessionsInAirtable() {
    StorageConfig storage = workerConfig.storage();
    if (storage.dual() == null) {
      return "airtable".equals(storage.backend());
    }
    // while a migration is owed the secondary is read
    return "airtable".equals(storage.dual().primary())
        || storage.dual().readsSecondaryUntilMigrated() && "airtable".equals(storage.dual().secondary());
  }

  private void onUpdate(Message<Object> message) {
    if (draining) {
      message.fail(HandleReply.RETRY_LATER, "worker is shutting down");
      return;
    }
    UpdateEnvelope update;
    try {
      update = BusMessages.update(message.body());
    } catch (RuntimeException e) {
      message.fail(400, "not an update envelope");
      return;
    }
    SpoolFence fence = SpoolFence.from(message.headers());
    Function<UpdateEnvelope, Future<HandleReply>> run = fence == null ? process
        : monitoring.counting(forwarded -> pipeline.process(forwarded, fence));
    run.apply(update).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(BusMessages.reply(vertx, ar.result()));
      } else if (ar.cause() instanceof UpdatePipeline.StaleForward) {
        message.fail(HandleReply.NOT_YOURS, ar.cause().getMessage());
      } else {
        message.fail(HandleReply.RETRY_LATER, Redactor.mask(String.valueOf(ar.cause().getMessage())));
      }
    });
  }

  private HealthChecks liveChecks() {
    return HealthChecks.create(vertx).register("worker", p -> p.complete(Status.OK()));
  }

  private HealthChecks readyChecks() {
    HealthChecks checks = HealthChecks.create(vertx)
        .register("bot-token", p -> p.complete(config.telegram().hasToken() || config.max().enabled()
            ? Status.OK()
            : Status.KO(new JsonObject().put("reason", "neither TELEGRAM_BOT_TOKEN nor MAX_BOT_TOKEN is set"))))
        .register("worker", p -> p.complete(draining
            ? Status.KO(new JsonObject().put("reason", "shutting down"))
            : Status.OK(stats.toJson())))
        // the shared probes: a fixed reason and the backend's kind, never its host, database or directory
        .register("storage", 3000, p -> probes.storage().onSuccess(s -> p.complete(status(s))));
    if (resources.redis() != null) {
      checks.register("redis", 3000, p -> probes.redis().onSuccess(s -> p.complete(status(s))));
    }
    return checks;
  }

  private static Status status(JsonObject probe) {
    return "UP".equals(probe.getString("status")) ? Status.OK(probe) : Status.KO(probe);
  }

  public WorkerStats stats() {
    return stats;
  }

  public WorkerResources resources() {
    return resources;
  }

  public int httpPort() {
    return http.actualPort();
  }

  /** SIGTERM: stop taking updates, let the ones running finish within the grace period. */
  public Future<Void> drain() {
    draining = true;
    return Future.<Void>future(p -> context.runOnContext(v -> {
      members.leave();
      if (maxPoller != null) {
        maxPoller.stop();
      }
      if (poller != null) {
        poller.stop();
      }
      if (replayer != null) {
        replayer.stop();
      }
      Future.join(consumers.stream().map(MessageConsumer::unregister).toList()).onComplete(ar -> p.complete());
    })).compose(v -> waitIdle(System.currentTimeMillis() + config.delivery().shutdownGraceSeconds() * 1000L));
  }

  private Future<Void> waitIdle(long deadline) {
    if (sequencer == null || sequencer.pending() == 0) {
      return Future.succeededFuture();
    }
    if (System.currentTimeMillis() >= deadline) {
      log.warn("shutdown: {} updates still running after the grace period; they will be delivered again", sequencer.pending());
      return Future.succeededFuture();
    }
    return vertx.timer(100, TimeUnit.MILLISECONDS).compose(t -> waitIdle(deadline));
  }

  @Override
  public Future<?> stop() {
    if (watch != null) {
      watch.stop();
    }
    if (migration != null) {
      migration.stop();
    }
    Future<Void> left = members == null ? Future.succeededFuture() : members.leave();
    Future<Void> httpClosed = left.eventually(() -> monitoring == null ? Future.<Void>succeededFuture() : monitoring.stop())
        .eventually(() -> http == null ? Future.succeededFuture() : http.close());
    return httpClosed.eventually(() -> resources == null ? Future.succeededFuture() : resources.close());
  }
}
