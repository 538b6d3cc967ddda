package io.splitbot.worker.effects;

import io.vertx.core.Future;
import java.util.Map;

/**
 * Remembers, per update, which outgoing effects (Bot API calls, or work a handler wraps in {@code ctx.once})
 * have begun and which have completed, so that running the update again (a retry after a failed attempt, or
 * redelivery after a crash) repeats none of them. An effect is recorded as begun, durably, before it starts.
 */
public interface EffectLedger {

  /** One effect of an earlier attempt: completed with a result, or begun with its outcome unknown. */
  record Effect(boolean completed, Object result) {
  }

  /** The effects recorded for this update, by their sequence number within the handler run. */
  Future<Map<Integer, Effect>> recall(String updateKey);

  /** Durably records that effect {@code seq} is about to start. */
  Future<Void> begin(String updateKey, int seq);

  /** Records its result. */
  Future<Void> complete(String updateKey, int seq, Object result);

  /** The effect failed for certain: a later attempt may run it again. */
  Future<Void> abort(String updateKey, int seq);

  /** The update is handled; its record is no longer needed. */
  Future<Void> forget(String updateKey);

  Future<Void> close();
}
