package io.splitbot.worker.console;

import io.splitbot.shared.deadletter.DeadLetterActions;
import io.splitbot.shared.deadletter.DeadLetterOwner;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.shared.http.MonitoringAccess;
import io.micrometer.core.instrument.Timer;
import io.splitbot.shared.cluster.Members;
import io.splitbot.worker.pipeline.ChatSequencer;
import io.splitbot.worker.pipeline.WorkerStats;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The ops console: {@code /console}, a page that shows the pipeline at a glance (charts of the last 15 minutes, the
 * updates in flight per chat, the dead letters with Replay and Drop, the rollout, the health of every dependency and
 * member), and its data under {@code /console/api}, behind {@link MonitoringAccess#guard()} as /monitoring is.
 *
 * <p>A browser cannot send a bearer header when it opens a page, so the page ({@link ConsolePage}) is static and holds
 * no data. With MONITORING_TOKEN set it is served to anyone who reaches the port; it asks for the token once, keeps it
 * in the tab's sessionStorage and sends it as a bearer header with each data call, never in a URL (which access logs
 * and histories keep). Without the token, page and data are for loopback clients only. The actions are POSTs with a
 * JSON body, which a page of another site cannot send without the console's consent (it gives none), and no page may
 * frame the console.
 */
public final class OpsConsole {
  /** An action's body: an update key and an owner. */
  static final long ACTION_BODY_LIMIT = 4_096;

  private final LiveSeries series;
  private final ConsoleOverview overview;
  private final DeadLetterEndpoints deadLetters;
  private final DeadLetterStore edgeLetters;
  private final ConsolePage page = ConsolePage.load();

  private OpsConsole(LiveSeries series, ConsoleOverview overview, Vertx vertx, DeadLetterStore workerLetters,
      DeadLetterStore edgeLetters) {
    this.series = series;
    this.overview = overview;
    this.edgeLetters = edgeLetters;
    this.deadLetters = new DeadLetterEndpoints(new DeadLetterActions(vertx,
        Map.of(DeadLetterOwner.WORKER, workerLetters, DeadLetterOwner.EDGE, edgeLetters)));
  }

  /**
   * @param handlerTimers the handler's duration timers
   * @param edges the edges' stats added up, as {@code /monitoring/webhook/stats} asks them; fails when none answers
   * @param workerHealth the worker's own parts, as it answers the edge's health probe
   * @param chats the pipeline's chats in flight (empty while it handles no updates)
   * @param inFlight updates accepted and not yet answered
   * @param workerLetters the worker's dead-letter store (its pipeline writes there)
   * @param edgeLetters the edge's, opened where the CLI opens it ({@link DeadLetterOwner#open}); closed by {@link #stop}
   */
  public static OpsConsole create(Vertx vertx, WorkerStats stats, Supplier<Iterable<Timer>> handlerTimers,
      Supplier<Future<JsonObject>> edges, Supplier<Future<JsonObject>> workerHealth,
      Supplier<List<ChatSequencer.ChatLoad>> chats, IntSupplier inFlight, Members members,
      DeadLetterStore workerLetters, DeadLetterStore edgeLetters) {
    return new OpsConsole(new LiveSeries(vertx, stats, handlerTimers, edges),
        new ConsoleOverview(vertx, chats, inFlight, edges, workerHealth, members), vertx, workerLetters, edgeLetters);
  }

  /** Starts the sampling and mounts the page and its data. */
  public void mount(Router router, MonitoringAccess access) {
    series.start();
    Handler<RoutingContext> guard = access.guard();
    router.route("/console/*").handler(ConsolePage::secure);
    // The page's links are relative to /console/; the router takes /console/ for /console too, so look at the path.
    router.get("/console").handler(ctx -> {
      if ("/console".equals(ctx.request().path())) {
        ctx.redirect("/console/");
      } else {
        ctx.next();
      }
    });
    router.route("/console/api/*").handler(guard);
    router.get("/console/api/series").handler(ctx -> ConsoleAnswers.json(ctx, 200, series.toJson()));
    router.get("/console/api/overview").handler(ctx -> overview.report()
        .onSuccess(report -> ConsoleAnswers.json(ctx, 200, report))
        .onFailure(e -> ConsoleAnswers.failed(ctx, e)));
    router.get("/console/api/dead-letters").handler(deadLetters::list);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(ACTION_BODY_LIMIT);
    router.post("/console/api/dead-letters/replay").consumes("application/json").handler(body).handler(deadLetters::replay);
    router.post("/console/api/dead-letters/drop").consumes("application/json").handler(body).handler(deadLetters::drop);
    // The page holds no data: public where a token guards the data, loopback-only where nothing does.
    router.get("/console/*").handler(access.tokenRequired() ? RoutingContext::next : guard).handler(page::serve);
  }

  public Future<Void> stop() {
    series.stop();
    return edgeLetters.close();
  }
}
