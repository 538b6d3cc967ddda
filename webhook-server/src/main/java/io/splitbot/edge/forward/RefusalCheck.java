package io.splitbot.edge.forward;

import io.splitbot.edge.routing.LegacyWebhookClient;
import io.splitbot.edge.routing.LegacyWebhookClient.LegacyDeliveryException;
import io.splitbot.shared.bus.Addresses;
import io.splitbot.shared.bus.HandleReply;
import io.splitbot.shared.log.Redactor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Tells a refusal from an outage when a delivery fails. Only a refusal spends one of the update's
 * {@code FORWARD_MAX_ATTEMPTS}: an answer that says no to this update, which a retry will most likely get again. An
 * outage spends nothing, because the update is not at fault and waits in the spool however long the outage lasts.
 *
 * <p>From the worker (event bus):
 * <ul>
 *   <li>outage: no worker registered ({@code NO_HANDLERS}), or {@link HandleReply#RETRY_LATER}, which the worker
 *   answers while it drains and while one of its stores is down (a store outage must never dead-letter anything);</li>
 *   <li>refusal: a failure with any other code (400 "not an update envelope"), a message it could not decode
 *   ({@code ERROR}), or a reply the edge cannot read;</li>
 *   <li>no reply within {@code FORWARD_TIMEOUT_MS}: either a handler holds the chat, or the worker is gone (a crashed
 *   member stays in the cluster's map for a while, and requests to it time out instead of failing fast). A ping
 *   tells them apart: when a worker answers {@link Addresses#WORKER_PING}, the timeout was this update's.</li>
 * </ul>
 *
 * <p>From the legacy bot (HTTP): 429, 502, 503 and 504 are outages (the bot, or the proxy in front of it, says
 * "later"). Every other non-2xx answer, 4xx and 500 included, is the bot's answer to this update: a refusal. No HTTP
 * answer at all (refused, reset, timed out) is judged like the worker's timeout, by a probe of the webhook URL.
 *
 * <p>A ping or probe is reused for a second, so a hundred chats stuck in one outage ask once. One corner costs an
 * attempt it should not: a worker that crashes and is back within {@code FORWARD_TIMEOUT_MS} answers the ping for the
 * requests its old self never answered. That is one attempt per update in flight, well inside the budget.
 */
final class RefusalCheck {
  static final long LIVENESS_REUSE_MS = 1_000;
  private static final Set<Integer> LEGACY_LATER = Set.of(429, 502, 503, 504);

  /** What a failed delivery was; {@code reason} goes to the log and to the dead letter. */
  record Verdict(boolean refused, String reason) {
  }

  private final Vertx vertx;
  private final LegacyWebhookClient legacy;
  private final long timeoutMs;
  private final long pingTimeoutMs;
  private final Liveness worker;
  private final Liveness legacyUp;

  /** @param legacy the legacy bot's webhook, or null. */
  RefusalCheck(Vertx vertx, LegacyWebhookClient legacy, long timeoutMs) {
    this.vertx = vertx;
    this.legacy = legacy;
    this.timeoutMs = timeoutMs;
    this.pingTimeoutMs = Math.min(2_000, timeoutMs);
    this.worker = new Liveness(this::pingWorker);
    this.legacyUp = new Liveness(() -> legacy == null
        ? Future.succeededFuture(false)
        : legacy.probe().map(p -> p.getBoolean("up", false)));
  }

  Future<Verdict> ofWorker(Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return refused("the worker's reply could not be read: " + failure);
    }
    return switch (reply.failureType()) {
      case NO_HANDLERS -> outage("no worker is registered");
      case TIMEOUT -> worker.answers().map(up -> up
          ? new Verdict(true, "the worker did not answer within " + timeoutMs + " ms, though it answers pings")
          : new Verdict(false, "no worker answered within " + timeoutMs + " ms, nor a ping"));
      case RECIPIENT_FAILURE -> reply.failureCode() == HandleReply.RETRY_LATER
          ? outage("the worker asked to retry later: " + reply.getMessage())
          : refused("the worker refused it (" + reply.failureCode() + "): " + reply.getMessage());
      case ERROR -> refused("the worker could not take the message: " + reply.getMessage());
    };
  }

  Future<Verdict> ofLegacy(Throwable failure) {
    String reason = Redactor.mask(String.valueOf(failure.getMessage()));
    int status = failure instanceof LegacyDeliveryException e ? e.status() : LegacyDeliveryException.NO_ANSWER;
    if (status == LegacyDeliveryException.NO_ANSWER) {
      return legacyUp.answers().map(up -> new Verdict(up, up ? reason + ", though it answers a probe" : reason));
    }
    return LEGACY_LATER.contains(status) ? outage(reason) : refused(reason);
  }

  private Future<Boolean> pingWorker() {
    return vertx.eventBus()
        .request(Addresses.WORKER_PING, new JsonObject(), new DeliveryOptions().setSendTimeout(pingTimeoutMs))
        .map(reply -> true)
        .otherwise(false);
  }

  private static Future<Verdict> refused(String reason) {
    return Future.succeededFuture(new Verdict(true, Redactor.mask(reason)));
  }

  private static Future<Verdict> outage(String reason) {
    return Future.succeededFuture(new Verdict(false, Redactor.mask(reason)));
  }

  /** Whether a target answers at all, asked at most once per {@link #LIVENESS_REUSE_MS}. */
  private static final class Liveness {
    private final Supplier<Future<Boolean>> ask;
    private Future<Boolean> last;
    private long askedAt;

    Liveness(Supplier<Future<Boolean>> ask) {
      this.ask = ask;
    }

    Future<Boolean> answers() {
      long now = System.currentTimeMillis();
      if (last == null || now - askedAt > LIVENESS_REUSE_MS) {
        askedAt = now;
        last = ask.get();
      }
      return last;
    }
  }
}
