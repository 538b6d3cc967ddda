package io.splitbot.worker.platform.max;

import io.splitbot.edge.platform.max.MaxEdge;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.platform.max.MaxApiClient;
import io.splitbot.shared.retry.Backoff;
import io.splitbot.shared.update.MalformedUpdateException;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development mode for MAX: {@code GET /updates} instead of a webhook, into the same pipeline. Sending a marker
 * commits every update before it (docs/MAX.md §5), so the poller sends the next one only once the whole batch is
 * handled: a crash makes MAX deliver the unfinished batch again, and dedup absorbs what was finished. A batch's
 * updates go one chat at a time in order, different chats at once; one that fails for an outage is retried.
 */
public final class MaxPoller {
  private static final Logger log = LoggerFactory.getLogger(MaxPoller.class);
  static final int TIMEOUT_SECONDS = 30;
  static final int LIMIT = 100;

  private final Vertx vertx;
  private final MaxApiClient api;
  private final Function<UpdateEnvelope, Future<HandleReply>> pipeline;
  private final Backoff backoff = new Backoff(1000, 30_000);
  private Long marker;
  private boolean stopped;
  private int failures;

  public MaxPoller(Vertx vertx, MaxApiClient api, Function<UpdateEnvelope, Future<HandleReply>> pipeline) {
    this.vertx = vertx;
    this.api = api;
    this.pipeline = pipeline;
  }

  /** Removes the bot's webhook subscriptions (MAX serves no long polling while one exists), then polls. */
  public void start() {
    api.subscriptions()
        .compose(subscriptions -> {
          List<Future<Void>> removed = new ArrayList<>();
          for (Object s : subscriptions) {
            if (s instanceof JsonObject subscription && subscription.getString("url") != null) {
              removed.add(api.unsubscribe(subscription.getString("url")));
            }
          }
          return Future.all(removed);
        })
        .onSuccess(v -> {
          log.info("MAX long polling started (webhook subscriptions removed)");
          poll();
        })
        .onFailure(e -> {
          if (!stopped) {
            log.error("MAX subscriptions could not be removed: {}; long polling retries in 5 s", e.getMessage());
            vertx.setTimer(5000, id -> start());
          }
        });
  }

  public void stop() {
    stopped = true;
  }

  private void poll() {
    if (stopped) {
      return;
    }
    api.getUpdates(marker, TIMEOUT_SECONDS, LIMIT, null).onComplete(ar -> {
      if (ar.failed() && stopped) {
        return; // the long poll in flight at shutdown ends when the client closes
      }
      if (ar.failed()) {
        long delay = backoff.delayMs(failures++);
        log.warn("MAX GET /updates failed: {}; retrying in {} ms", ar.cause().getMessage(), delay);
        vertx.setTimer(delay, id -> poll());
        return;
      }
      failures = 0;
      MaxApiClient.Updates batch = ar.result();
      handleAll(batch.updates()).onComplete(done -> {
        if (batch.marker() != null) {
          marker = batch.marker();
        }
        poll();
      });
    });
  }

  /** Every readable update of the batch, handled; an unreadable one is logged and skipped (it has no key). */
  private Future<Void> handleAll(JsonArray updates) {
    Map<String, List<UpdateEnvelope>> lanes = new LinkedHashMap<>();
    for (Object entry : updates) {
      if (!(entry instanceof JsonObject update)) {
        log.warn("MAX GET /updates returned an entry that is not an object; skipped");
        continue;
      }
      try {
        UpdateEnvelope envelope = MaxEdge.envelopeOf(update.toBuffer(), update);
        lanes.computeIfAbsent(envelope.lane(), k -> new ArrayList<>()).add(envelope);
      } catch (MalformedUpdateException e) {
        log.warn("MAX update is malformed ({}); skipped", e.getMessage());
      }
    }
    List<Future<Void>> chats = new ArrayList<>();
    for (List<UpdateEnvelope> lane : lanes.values()) {
      lane.sort(UpdateEnvelope.ORDER);
      Future<Void> chain = Future.succeededFuture();
      for (UpdateEnvelope envelope : lane) {
        chain = chain.compose(v -> handled(envelope, 0));
      }
      chats.add(chain);
    }
    return Future.all(chats).mapEmpty();
  }

  /** Until it is handled (or dead-lettered) the marker stays where it is; an outage is waited out. */
  private Future<Void> handled(UpdateEnvelope envelope, int attempt) {
    Promise<Void> done = Promise.promise();
    pipeline.apply(envelope).onComplete(ar -> {
      if (ar.succeeded() || stopped) {
        done.complete();
        return;
      }
      log.warn("MAX update {} not handled yet: {}", envelope.key(), ar.cause().getMessage());
      vertx.setTimer(backoff.delayMs(attempt), t -> handled(envelope, attempt + 1).onComplete(done));
    });
    return done.future();
  }
}
