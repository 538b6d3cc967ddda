package io.splitbot.worker.effects;

import io.splitbot.shared.retry.OutcomeUnknown;
import io.splitbot.shared.telegram.AttemptGuard;
import io.splitbot.worker.bot.BotCalls;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing calls of one attempt at one update. Effects are numbered in the order the handler starts them; an
 * effect an earlier attempt completed returns its recorded result instead of running again. One that began but
 * whose outcome was lost in a crash is not repeated, so no reply is ever sent twice. A Bot API call is recorded
 * as begun only just before each HTTP attempt (after throttle and retry_after waits), and as not begun again when
 * the attempt certainly had no effect, which keeps that window of uncertainty to the moment the request leaves.
 */
public final class LedgeredCalls implements BotCalls {
  private static final Logger log = LoggerFactory.getLogger(LedgeredCalls.class);
  /** What an effect of unknown outcome returns in place of its result. */
  public static final JsonObject UNCERTAIN = new JsonObject().put("splitbot_uncertain", true);

  private final EffectLedger ledger;
  private final String updateKey;
  private final Map<Integer, EffectLedger.Effect> earlier;
  private final GuardedSender out;
  private final UnsentEffects unsent;
  private int next;
  private volatile Throwable ledgerFailure;

  public LedgeredCalls(EffectLedger ledger, String updateKey, Map<Integer, EffectLedger.Effect> earlier, GuardedSender out,
      UnsentEffects unsent) {
    this.ledger = ledger;
    this.updateKey = updateKey;
    this.earlier = earlier;
    this.out = out;
    this.unsent = unsent;
  }

  @Override
  public Future<Object> call(String method, JsonObject params) {
    int seq = next++;
    Future<Object> recalled = recall(seq, method);
    if (recalled != null) {
      return recalled;
    }
    AttemptGuard guard = new AttemptGuard() {
      @Override
      public Future<Void> beforeAttempt() {
        // Until the begin is confirmed the request stays unsent, whatever the store may have kept.
        unsent.add(updateKey, seq);
        return watched(ledger.begin(updateKey, seq)).onSuccess(v -> unsent.sent(updateKey, seq));
      }

      @Override
      public Future<Void> notDelivered() {
        unsent.add(updateKey, seq);
        return watched(ledger.abort(updateKey, seq));
      }
    };
    return record(seq, out.call(method, params, guard));
  }

  @Override
  public Future<Object> once(String label, Supplier<Future<Object>> effect) {
    int seq = next++;
    Future<Object> recalled = recall(seq, label);
    if (recalled != null) {
      return recalled;
    }
    unsent.add(updateKey, seq);
    return record(seq, watched(ledger.begin(updateKey, seq)).onSuccess(v -> unsent.sent(updateKey, seq)).compose(v -> {
      try {
        return effect.get();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }));
  }

  /** The earlier outcome of effect {@code seq}, or null when it has not run before. */
  private Future<Object> recall(int seq, String label) {
    EffectLedger.Effect past = earlier.get(seq);
    if (past == null || (!past.completed() && unsent.contains(updateKey, seq))) {
      return null;
    }
    if (past.completed()) {
      return Future.succeededFuture(past.result());
    }
    log.warn("update {}: effect #{} ({}) began before a crash and its outcome is unknown; not repeating it", updateKey, seq, label);
    return Future.succeededFuture(UNCERTAIN.copy());
  }

  /**
   * A failed effect is struck off, so the next attempt runs it again; one whose outcome is unknown (the request left
   * and its answer was lost) stays begun, so the next attempt does not repeat it.
   */
  private Future<Object> record(int seq, Future<Object> effect) {
    return effect.transform(ar -> {
      if (ar.succeeded()) {
        return watched(ledger.complete(updateKey, seq, ar.result())).map(ar.result());
      }
      if (OutcomeUnknown.in(ar.cause())) {
        return Future.failedFuture(ar.cause());
      }
      return watched(ledger.abort(updateKey, seq)).transform(v -> Future.failedFuture(ar.cause()));
    });
  }

  /**
   * The ledger's own failure (its store is down), if any happened during this attempt. The pipeline then retries
   * the update later instead of counting a handler failure.
   */
  public Throwable ledgerFailure() {
    return ledgerFailure;
  }

  private Future<Void> watched(Future<Void> ledgerWrite) {
    return ledgerWrite.onFailure(e -> ledgerFailure = e);
  }
}
