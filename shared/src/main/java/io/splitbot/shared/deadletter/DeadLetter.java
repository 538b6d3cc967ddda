package io.splitbot.shared.deadletter;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.json.JsonObject;

/**
 * An update that failed every attempt, with the last error: at the worker, its handlers failed; at the edge, the
 * worker or the legacy bot refused it. Kept until it is replayed or dropped.
 */
public record DeadLetter(UpdateEnvelope update, String error, int attempts, long failedAtMillis, boolean replayRequested) {

  public DeadLetter withReplayRequested() {
    return new DeadLetter(update, error, attempts, failedAtMillis, true);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("update", update.toJson())
        .put("error", error)
        .put("attempts", attempts)
        .put("failed_at", failedAtMillis)
        .put("replay_requested", replayRequested);
  }

  public static DeadLetter fromJson(JsonObject json) {
    return new DeadLetter(
        UpdateEnvelope.fromJson(json.getJsonObject("update")),
        json.getString("error"),
        json.getInteger("attempts", 0),
        json.getLong("failed_at", 0L),
        json.getBoolean("replay_requested", false));
  }
}
