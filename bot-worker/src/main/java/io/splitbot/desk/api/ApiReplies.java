package io.splitbot.desk.api;

import io.splitbot.shared.log.Redactor;
import io.splitbot.desk.DeskException;
import io.splitbot.desk.i18n.Messages;
import io.splitbot.desk.i18n.Texts;
import io.splitbot.desk.numbering.NumbersUnavailableException;
import io.splitbot.shared.retry.RetryLater;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's answers: JSON with {@code success} and a {@code message} in the caller's language (Accept-Language,
 * else BOT_DEFAULT_LANGUAGE), and the HTTP status each refusal maps to: 422 invalid fields (listed), 404 unknown
 * request, 409 illegal or stale status change, 400 malformed JSON, 401 bad token, 503 with Retry-After when a store it
 * needs is down (the storage, or Redis for request numbers with ENABLE_DB_FALLBACK=false).
 */
public final class ApiReplies {
  private static final Logger log = LoggerFactory.getLogger(ApiReplies.class);

  private final Messages messages;

  public ApiReplies(Messages messages) {
    this.messages = messages;
  }

  /** The caller's language: the first ru/en tag of Accept-Language. */
  public Texts texts(RoutingContext ctx) {
    String header = ctx.request().getHeader("Accept-Language");
    if (header != null) {
      for (String part : header.split(",")) {
        String tag = part.split(";")[0].trim();
        if (!tag.isEmpty() && messages.language(tag).equals(tag.toLowerCase().split("-")[0])) {
          return messages.in(messages.language(tag));
        }
      }
    }
    return messages.in(messages.defaultLanguage());
  }

  public void ok(RoutingContext ctx, int status, JsonObject body) {
    send(ctx, status, new JsonObject().put("success", true).mergeIn(body));
  }

  public void failure(RoutingContext ctx, int status, String reason, Object... args) {
    send(ctx, status, new JsonObject().put("success", false).put("message", texts(ctx).t(reason, args)));
  }

  /** Any failure of a handler: a refusal gets its status, the rest 503 (a store down: retry later) or 500. */
  public void error(RoutingContext ctx, Throwable e) {
    Texts t = texts(ctx);
    if (e instanceof DeskException d) {
      JsonObject body = new JsonObject().put("success", false).put("message", t.reason(d.reason(), d.args()));
      int status = switch (d.kind()) {
        case VALIDATION -> 422;
        case NOT_FOUND -> 404;
        case FORBIDDEN -> 403;
        case ILLEGAL_TRANSITION, STALE -> 409;
      };
      if (d.kind() == DeskException.Kind.VALIDATION) {
        JsonObject errors = new JsonObject();
        for (Map.Entry<String, DeskException.FieldError> f : d.fieldErrors().entrySet()) {
          errors.put(f.getKey(), t.reason(f.getValue().reason(), f.getValue().args()));
        }
        body.put("fields", new JsonArray(d.fieldErrors().keySet().stream().map(k -> (Object) k).toList())).put("errors", errors);
      }
      send(ctx, status, body);
      return;
    }
    if (RetryLater.in(e)) {
      // the reason names the database host or the data directory: it goes to the log, not to the caller
      log.warn("internal API {} {}: {}", ctx.request().method(), ctx.request().path(), Redactor.mask(String.valueOf(e.getMessage())));
      ctx.response().putHeader("Retry-After", "5");
      String reason = e instanceof NumbersUnavailableException ? "api.numbers_unavailable" : "api.unavailable";
      send(ctx, 503, new JsonObject().put("success", false).put("message", t.t(reason)));
      return;
    }
    log.error("internal API {} {} failed: {}", ctx.request().method(), ctx.request().path(), Redactor.mask(String.valueOf(e)));
    send(ctx, 500, new JsonObject().put("success", false).put("message", "internal error"));
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
  }
}
