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
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhook/<platform>}: checks the request, makes the update durable in the spool and answers 200; the
 * spool feeds the forwarder (see {@link Spool#append}). Anything it cannot make durable gets 503 with Retry-After, so
 * the platform redelivers it. One handler per platform; the {@link EdgePlatform} says how its posts are authenticated
 * and its updates keyed.
 *
 * <p>It is a plain request handler, not a route: this is the one path every update takes, so it reads the body
 * itself (within the limit) and keeps the bytes as they came, which the spool writes unchanged.
 */
public final class WebhookHandler implements Handler<HttpServerRequest> {
  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);
  private static final String ACCEPTED = "{}";
  /** How much of a body over the limit is read and dropped before the connection is closed. */
  private static final long DRAIN_LIMIT_BYTES = 16L * 1024 * 1024;
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

  /** The path it serves, {@code /webhook/<platform>}. */
  public String path() {
    return platform.path();
  }

  /** Checks what can be checked before the body (method, shutdown, secret, content type, declared length), then reads it. */
  @Override
  public void handle(HttpServerRequest request) {
    stats.received.incrementAndGet();
    own.received.incrementAndGet();
    HttpServerResponse response = request.response();
    long declared = declaredLength(request);
    if (request.method() != HttpMethod.POST) {
      response.putHeader("Allow", "POST");
      reject(response, 405, "method not allowed: use POST");
    } else if (draining.getAsBoolean()) {
      unavailable();
      JsonErrors.retryLater(response, 5, "shutting down, retry later");
    } else if (!authorised(request)) {
      reject(response, 401, "missing or wrong " + platform.secretHeader());
    } else if (!isJson(request.getHeader("Content-Type"))) {
      reject(response, 415, "Content-Type must be application/json");
    } else if (declared > config.maxBodyBytes()) {
      tooLarge(request);
    } else {
      readBody(request, (int) declared);
    }
    // Otherwise the body has no handler: Vert.x discards it as it arrives.
  }

  /** Collects the body up to the limit (a chunked body declares no length); larger gets 413. */
  private void readBody(HttpServerRequest request, int declared) {
    Buffer body = Buffer.buffer(declared > 0 ? declared : 1024);
    boolean[] over = new boolean[1];
    request.handler(chunk -> {
      if (over[0]) {
        return;
      }
      if (body.length() + chunk.length() > config.maxBodyBytes()) {
        over[0] = true;
        tooLarge(request);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> log.debug("webhook request failed while its body was read: {}", e.toString()));
    request.endHandler(v -> {
      if (!over[0]) {
        accept(request.response(), body);
      }
    });
  }

  /**
   * 413 at once. The rest of the body is read and dropped: a connection closed while the client is still sending is
   * reset, and the reset can destroy the answer before the client reads it. A client that sends on past
   * {@link #DRAIN_LIMIT_BYTES} is cut off.
   */
  private void tooLarge(HttpServerRequest request) {
    long[] dropped = {0};
    request.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > DRAIN_LIMIT_BYTES) {
        request.connection().close();
      }
    });
    reject(request.response(), 413, "body is larger than " + config.maxBodyBytes() + " bytes");
  }

  private void accept(HttpServerResponse response, Buffer body) {
    UpdateEnvelope parsed;
    try {
      requireObject(body);
      parsed = platform.envelope(body);
    } catch (DecodeException e) {
      reject(response, 400, "body is not a JSON object");
      return;
    } catch (MalformedUpdateException e) {
      reject(response, 400, e.getMessage());
      return;
    }
    UpdateEnvelope envelope = platform.routable() ? parsed.routedTo(router.route(parsed.chatKey())) : parsed;
    LogContext.putAll(LogContext.update(envelope.key(), envelope.lane()));
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
        response.putHeader("Content-Type", "application/json").end(ACCEPTED);
      } else if (ar.cause() instanceof SpoolFullException) {
        unavailable();
        JsonErrors.retryLater(response, 5, "the edge is behind: spool is full, retry later");
      } else {
        unavailable();
        log.warn("update {} not accepted: spool write failed: {}", envelope.key(), ar.cause().toString());
        JsonErrors.retryLater(response, 2, "could not store the update durably, retry later");
      }
    });
  }

  private void unavailable() {
    stats.unavailable.incrementAndGet();
    own.unavailable.incrementAndGet();
  }

  private void reject(HttpServerResponse response, int status, String reason) {
    stats.rejected.incrementAndGet();
    own.rejected.incrementAndGet();
    JsonErrors.send(response, status, reason);
  }

  private boolean authorised(HttpServerRequest request) {
    if (secret == null) {
      return config.allowUnauthenticated();
    }
    String given = request.getHeader(platform.secretHeader());
    // MessageDigest.isEqual takes the same time wherever the first difference is.
    return given != null && MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int end = contentType.indexOf(';');
    String mime = (end < 0 ? contentType : contentType.substring(0, end)).trim();
    return mime.equalsIgnoreCase("application/json");
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader("Content-Length");
    try {
      return length == null ? 0 : Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Cheap first check: the body starts (after white space) as an object; the platform parses the rest. */
  private static void requireObject(Buffer body) {
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (b == '{') {
        return;
      }
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
    }
    throw new DecodeException("not a JSON object");
  }
}
