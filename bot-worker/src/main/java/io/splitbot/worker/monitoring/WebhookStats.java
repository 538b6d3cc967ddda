package io.splitbot.worker.monitoring;

import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.cluster.Member;
import io.splitbot.shared.cluster.Members;
import io.splitbot.shared.deadletter.DeadLetterCount;
import io.splitbot.shared.deadletter.DeadLetterStore;
import io.splitbot.shared.log.Redactor;
import io.splitbot.shared.monitoring.RateWindow;
import io.splitbot.worker.pipeline.WorkerStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.List;
import io.vertx.core.json.JsonObject;

/**
 * {@code GET /monitoring/webhook/stats}: what happened to updates, since start ({@code totals}) and over the last
 * minute ({@code per_minute}), with the edges' spool depth. The edges' counters come from the edges themselves, each
 * asked over the event bus at its own address ({@link Members}), so the figures are the same whether both run in one
 * JVM or in several processes; with several edges they are added up, and {@code edges} lists each edge's own answer.
 *
 * <ul>
 *   <li>{@code received}: webhook POSTs the edge took (every one, including those it refused);</li>
 *   <li>{@code acked}: updates the edge made durable and answered 200;</li>
 *   <li>{@code forwarded}: deliveries the edge attempted, to the worker and to a legacy bot (a retry counts again);</li>
 *   <li>{@code retried}: deliveries that failed and were scheduled again;</li>
 *   <li>{@code deduplicated}: redeliveries absorbed, by the edge's spool (already held) or by the worker's dedup;</li>
 *   <li>{@code dead_lettered}: updates moved to dead letters: by the worker, when its handlers failed every attempt,
 *   and by the edge, when the worker or the legacy bot refused every attempt ({@code edge.totals.dead_lettered} is the
 *   edge's share).</li>
 * </ul>
 *
 * <p>{@code dead_letters} is what each side holds now ({@code {"worker": {"count": n}, "edge": {"count": n}}}), the
 * edge's as the edge counts it; a side that does not answer has a null count.
 *
 * <p>{@code platforms} breaks the worker's side down per platform ({@link PlatformUpdates}: what became of each
 * platform's updates, and its error rate over the last minute; with the edge's own figures under {@code edge} when the
 * edge gives them per platform), and {@code alerts} holds the {@code webhook_error_rate} alerts that are on.
 */
public final class WebhookStats {
  static final long EDGE_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final Members members;
  private final WorkerStats stats;
  private final RateWindow rates;
  private final DeadLetterStore deadLetters;
  private final PlatformUpdates platforms;
  private final MonitoringAlerts alerts;

  /** @param deadLetters the worker's own dead letters */
  public WebhookStats(Vertx vertx, Members members, WorkerStats stats, RateWindow rates, DeadLetterStore deadLetters,
      PlatformUpdates platforms, MonitoringAlerts alerts) {
    this.vertx = vertx;
    this.members = members;
    this.stats = stats;
    this.rates = rates;
    this.deadLetters = deadLetters;
    this.platforms = platforms;
    this.alerts = alerts;
  }

  /** The worker's own counters, tracked per minute under the same names {@link #report()} reads. */
  public static RateWindow rateWindow(WorkerStats stats) {
    return new RateWindow()
        .track("received", stats.received::get)
        .track("handled", stats.handled::get)
        .track("deduplicated", stats.duplicates::get)
        .track("failed_attempts", stats.failedAttempts::get)
        .track("dead_lettered", stats.deadLettered::get);
  }

  public Future<JsonObject> report() {
    JsonObject worker = stats.toJson();
    JsonObject workerMinute = rates.perMinute();
    Future<JsonObject> edge = edges();
    Future<JsonObject> held = DeadLetterCount.of(deadLetters, EDGE_TIMEOUT_MS);
    return Future.join(edge, held).transform(ar -> {
      JsonObject out = combine(edge.succeeded() ? edge.result() : null, worker, workerMinute, held.result());
      if (edge.failed()) {
        out.put("edge", new JsonObject().put("reachable", false)
            .put("reason", "no edge answered on the event bus (polling mode, or the edge is down): "
                + Redactor.mask(String.valueOf(edge.cause().getMessage()))));
      }
      JsonObject perPlatform = platforms.report();
      JsonObject edgePlatforms = edge.succeeded() ? edge.result().getJsonObject("platforms") : null;
      if (edgePlatforms != null) {
        perPlatform.forEach(e -> {
          if (edgePlatforms.getValue(e.getKey()) instanceof JsonObject own) {
            ((JsonObject) e.getValue()).put("edge", own);
          }
        });
      }
      return Future.succeededFuture(out.put("platforms", perPlatform)
          .put("alerts", MonitoringAlerts.toJson(alerts.checkWebhookErrors(PlatformUpdates.errorRates(perPlatform)))));
    });
  }

  /**
   * Every live edge's stats, asked at its own address and added up ({@link EdgeFigures}); an edge that does not answer
   * is listed as unreachable. Before the heartbeats have shown any edge (the first seconds), any one edge is asked.
   * Fails when no edge answers (polling mode, or the edges are down).
   */
  public Future<JsonObject> edges() {
    List<Member> live = members.live(Member.EDGE);
    if (live.isEmpty()) {
      return vertx.eventBus()
          .<JsonObject>request(Addresses.EDGE_STATS, new JsonObject(), new DeliveryOptions().setSendTimeout(EDGE_TIMEOUT_MS))
          .map(reply -> EdgeFigures.sum(List.of(reply.body())));
    }
    List<Future<JsonObject>> asked = live.stream().map(m -> members.ask(m, EDGE_TIMEOUT_MS)
        .recover(e -> Future.succeededFuture(new JsonObject().put("member", m.toJson()).put("reachable", false)))).toList();
    return Future.all(asked).compose(all -> {
      List<JsonObject> answers = asked.stream().map(Future::result).toList();
      List<JsonObject> reached = answers.stream().filter(a -> a.getBoolean("reachable", true)).toList();
      if (reached.isEmpty()) {
        return Future.failedFuture("none of the " + live.size() + " edges answered");
      }
      JsonObject sum = EdgeFigures.sum(reached);
      answers.stream().filter(a -> !a.getBoolean("reachable", true)).forEach(sum.getJsonArray("edges")::add);
      return Future.succeededFuture(sum);
    });
  }

  private static JsonObject combine(JsonObject edge, JsonObject worker, JsonObject workerMinute, JsonObject workerLetters) {
    JsonObject edgeTotals = edge == null ? new JsonObject() : edge.getJsonObject("totals", new JsonObject());
    JsonObject edgeMinute = edge == null ? new JsonObject() : edge.getJsonObject("per_minute", new JsonObject());
    JsonObject legacy = edgeTotals.getJsonObject("legacy", new JsonObject());
    JsonObject totals = new JsonObject()
        .put("received", edgeTotals.getLong("received", 0L))
        .put("acked", edgeTotals.getLong("acked", 0L))
        .put("forwarded", edgeTotals.getLong("forwarded", 0L) + legacy.getLong("forwarded", 0L))
        .put("retried", edgeTotals.getLong("retried", 0L) + legacy.getLong("retried", 0L))
        .put("deduplicated", edgeTotals.getLong("redelivered", 0L) + worker.getLong("deduplicated", 0L))
        .put("dead_lettered", worker.getLong("dead_lettered", 0L) + edgeTotals.getLong("dead_lettered", 0L))
        .put("handled", worker.getLong("handled", 0L));
    JsonObject perMinute = new JsonObject()
        .put("received", edgeMinute.getLong("received", 0L))
        .put("acked", edgeMinute.getLong("acked", 0L))
        .put("forwarded", edgeMinute.getLong("forwarded", 0L))
        .put("retried", edgeMinute.getLong("retried", 0L))
        .put("deduplicated", edgeMinute.getLong("redelivered", 0L) + workerMinute.getLong("deduplicated", 0L))
        .put("dead_lettered", workerMinute.getLong("dead_lettered", 0L) + edgeMinute.getLong("dead_lettered", 0L))
        .put("handled", workerMinute.getLong("handled", 0L))
        .put("window_seconds", workerMinute.getLong("window_seconds", 0L));
    JsonObject out = new JsonObject()
        .put("totals", totals)
        .put("per_minute", perMinute)
        .put("spool_depth", edge == null ? null : edge.getJsonObject("spool", new JsonObject()).getInteger("depth"))
        .put("dead_letters", new JsonObject()
            .put("worker", workerLetters)
            .put("edge", edge == null
                ? new JsonObject().putNull("count").put("reason", "no edge answered")
                : edge.getJsonObject("dead_letters", new JsonObject().putNull("count"))))
        .put("worker", worker.put("per_minute", workerMinute));
    if (edge != null) {
      JsonObject sum = edge.copy().put("reachable", true);
      out.put("edges", sum.remove("edges"));
      out.put("edge", sum);
    }
    return out;
  }
}
