package io.splitbot.edge.http;

import io.splitbot.edge.EdgeStats;
import io.splitbot.edge.platform.EdgePlatform;
import io.splitbot.edge.routing.RolloutRouter;
import io.splitbot.edge.spool.Spool;
import io.splitbot.edge.spool.SpoolFullException;
import io.splitbot.shared.http.JsonErrors;
import io.splitbot.shared.log.LogContext;
import io.splitbot.shared.config.SplitbotConfig;
import io.splitbot.shared.update.MalformedUpdateException;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhook/<platform>}: checks the request, makes the update durable in the spool and answers 200; the
 * spool feeds the forwarder (see {@link Spool#append}). Anything it cannot make durable gets 503 with Retry-After, so the platform redelivers it. One
 * handler per platform; the {@link EdgePlatform} says how its posts are authenticated and its updates keyed.
 */
public final class WebhookHandler {
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);
  private final EdgePlatform platform;
  private final SplitbotConfig.Webhook config;
  private final Spool spool;
  private final EdgeStats stats;
  private final EdgeStats.PlatformCounts own;
  private final BooleanSupplier draining;
  private final RolloutRouter router;
  private final byte[] secret;

  /**
   * @param config the body limit and whether a platform without a secret is accepted
   * @param router picks the new worker or the legacy bot per chat, for a platform the legacy bot speaks; the route is
   *     stored in the spool with the update.
   */
  public WebhookHandler(EdgePlatform platform, SplitbotConfig.Webhook config, Spool spool, EdgeStats stats, BooleanSupplier draining, RolloutRouter router) {
    this.platform = platform;
    this.router = router;
    this.config = config;
    this.spool = spool;
    this.stats = stats;
    this.own = stats.platform(platform.name());
    this.draining = draining;
    this.secret = platform.secret() == null ? null : platform.secret().getBytes(StandardCharsets.UTF_8);
  }

  /** Runs before the body is read: method, shutdown, secret, content type and declared length. */
  public Handler<RoutingContext> precheck() {
    return ctx -> {
      stats.received.incrementAndGet();
      own.received.incrementAndGet();
      if (ctx.request().method() != HttpMethod.POST) {
        ctx.response().putHeader("Allow", "POST");
        reject(ctx, 405, "method not allowed: use POST");
      } else if (draining.getAsBoolean()) {
        unavailable();
        JsonErrors.retryLater(ctx, 5, "shutting down, retry later");
      } else if (!authorised(ctx)) {
        reject(ctx, 401, "missing or wrong " + platform.secretHeader());
      } else if (!isJson(ctx.request().getHeader("Content-Type"))) {
        reject(ctx, 415, "Content-Type must be application/json");
      } else if (declaredLength(ctx) > config.maxBodyBytes()) {
        reject(ctx, 413, "body is larger than " + config.maxBodyBytes() + " bytes");
      } else {
        ctx.next();
      }
    };
  }

  /** Runs once the body is in memory (the body handler has enforced the size limit). */
  public Handler<RoutingContext> accept() {
    return ctx -> {
      Buffer body = ctx.body().buffer();
      UpdateEnvelope parsed;
      try {
        JsonObject update = parseObject(body);
        parsed = platform.envelope(body.toString(StandardCharsets.UTF_8), update);
      } catch (DecodeException e) {
        reject(ctx, 400, "body is not a JSON object");
        return;
      } catch (MalformedUpdateException e) {
        reject(ctx, 400, e.getMessage());
        return;
      }
      UpdateEnvelope envelope = platform.routable() ? parsed.routedTo(router.route(parsed.chatKey())) : parsed;
      LogContext.put(LogContext.UPDATE_ID, envelope.key());
      LogContext.put(LogContext.CHAT_ID, envelope.lane());
      spool.append(envelope).onComplete(ar -> {
        if (ar.succeeded()) {
          if (ar.result() == Spool.Appended.ALREADY_SPOOLED) {
            stats.redelivered.incrementAndGet();
            own.redelivered.incrementAndGet();
          } else {
            (envelope.forLegacy() ? stats.routedLegacy : stats.routedWorker).incrementAndGet();
          }
          stats.acked.incrementAndGet();
          own.acked.incrementAndGet();
          ctx.response().putHeader("Content-Type", "application/json").end("{}");
        } else if (ar.cause() instanceof SpoolFullException) {
          unavailable();
          JsonErrors.retryLater(ctx, 5, "the edge is behind: spool is full, retry later");
        } else {
          unavailable();
          log.warn("update {} not accepted: spool write failed: {}", envelope.key(), ar.cause().toString());
          JsonErrors.retryLater(ctx, 2, "could not store the update durably, retry later");
        }
      });
    };
  }

  private void unavailable() {
    stats.unavailable.incrementAndGet();
    own.unavailable.incrementAndGet();
  }

  private void reject(RoutingContext ctx, int status, String reason) {
    stats.rejected.incrementAndGet();
    own.rejected.incrementAndGet();
    JsonErrors.send(ctx, status, reason);
  }

  private boolean authorised(RoutingContext ctx) {
    if (secret == null) {
      return config.allowUnauthenticated();
    }
    String given = ctx.request().getHeader(platform.secretHeader());
    // MessageDigest.isEqual takes the same time wherever the first difference is.
    return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mime = contentType.split(";", 2)[0].trim();
    return mime.equalsIgnoreCase("application/json");
  }

  private static long declaredLength(RoutingContext ctx) {
    String length = ctx.request().getHeader("Content-Length");
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static JsonObject parseObject(Buffer body) {
    if (body == null) {
      throw new DecodeException("empty body");
    }
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b == '{') {
        return new JsonObject(body);
      }
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
    }
    throw new DecodeException("not a JSON object");
  }
}
