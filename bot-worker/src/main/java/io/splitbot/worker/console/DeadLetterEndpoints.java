package io.splitbot.worker.console;

import io.splitbot.shared.deadletter.DeadLetter;
import io.splitbot.shared.deadletter.DeadLetterActions;
import io.splitbot.shared.deadletter.DeadLetterOwner;
import io.splitbot.shared.http.JsonErrors;
import io.splitbot.shared.log.Redactor;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.function.BiFunction;

/**
 * The ops console's dead letters: the list, and Replay and Drop, which run the CLI's own {@link DeadLetterActions}
 * (find the store that holds the update, flag it and wait for its service to replay it, or remove it). An action's
 * body is {@code {"update": "5", "from": "worker"|"edge"}} ({@code from} optional, as the CLI's {@code --from}); a
 * malformed one is a 400, an update without a letter a 404, each with a JSON reason.
 */
final class DeadLetterEndpoints {
  /** The letters listed; the count says how many there are. */
  static final int ROWS = 200;
  /** How long a Replay waits for its outcome before answering that it is still queued. */
  static final long REPLAY_WAIT_MS = 15_000;
  private static final String BODY = "the body must be JSON: {\"update\": \"<update as listed>\", \"from\": \"worker\" or \"edge\"}";

  private final DeadLetterActions actions;

  DeadLetterEndpoints(DeadLetterActions actions) {
    this.actions = actions;
  }

  void list(RoutingContext ctx) {
    actions.list().onSuccess(listing -> {
      JsonArray rows = new JsonArray();
      listing.letters().stream().limit(ROWS).forEach(o -> rows.add(row(o.owner(), o.letter())));
      JsonArray unreadable = new JsonArray();
      listing.unreadable().keySet().forEach(owner -> unreadable.add(owner.label()));
      ConsoleAnswers.json(ctx, 200, new JsonObject()
          .put("count", listing.letters().size())
          .put("letters", rows)
          .put("unreadable", unreadable));
    }).onFailure(e -> ConsoleAnswers.failed(ctx, e));
  }

  private static JsonObject row(DeadLetterOwner owner, DeadLetter letter) {
    return new JsonObject()
        .put("update", letter.update().key())
        .put("from", owner.label())
        .put("platform", letter.update().platform())
        .put("chat", letter.update().chatKey())
        .put("attempts", letter.attempts())
        .put("failed_at", Instant.ofEpochMilli(letter.failedAtMillis()).toString())
        .put("error", Redactor.mask(letter.error()))
        .put("replay_requested", letter.replayRequested());
  }

  void replay(RoutingContext ctx) {
    act(ctx, (owner, key) -> actions.requestReplay(owner, key)
        .compose(v -> actions.awaitReplay(owner, key, REPLAY_WAIT_MS))
        .map(outcome -> switch (outcome.end()) {
          case DONE -> new JsonObject().put("ok", true)
              .put("outcome", owner == DeadLetterOwner.EDGE ? "delivered" : "handled");
          case FAILED_AGAIN -> new JsonObject().put("ok", true).put("outcome", "failed_again")
              .put("error", Redactor.mask(outcome.letter().error())).put("attempts", outcome.letter().attempts());
          case STILL_WAITING -> new JsonObject().put("ok", true).put("outcome", "waiting")
              .put("reason", "no " + owner.label() + " has taken the replay yet; it stays requested");
        }));
  }

  void drop(RoutingContext ctx) {
    act(ctx, (owner, key) -> actions.drop(owner, key).map(removed -> new JsonObject().put("ok", true)
        .put("outcome", removed ? "dropped" : "gone")));
  }

  /** Reads the body, finds the letter's store, and runs {@code action} on it; every refusal is a 4xx with a reason. */
  private void act(RoutingContext ctx, BiFunction<DeadLetterOwner, String, Future<JsonObject>> action) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    if (body == null || !(body.getValue("update") instanceof String key)
        || (body.getValue("from") != null && !(body.getValue("from") instanceof String))) {
      JsonErrors.send(ctx, 400, BODY);
      return;
    }
    String from = body.getString("from");
    actions.find(key, from).compose(found -> {
      if (!found.found()) {
        JsonErrors.send(ctx, found.problem() == DeadLetterActions.Problem.NOT_FOUND ? 404 : 400, found.reason());
        return Future.succeededFuture();
      }
      return action.apply(found.owner(), key).map(answer -> {
        ConsoleAnswers.json(ctx, 200, answer.put("update", key).put("from", found.owner().label()));
        return null;
      });
    }).onFailure(e -> ConsoleAnswers.failed(ctx, e));
  }
}
