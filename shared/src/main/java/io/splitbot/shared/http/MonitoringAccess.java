package io.splitbot.shared.http;

import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The one rule for who may read what the services know about themselves (/metrics, /monitoring/*, the detail of the
 * health answers, and any operator page mounted behind {@link #guard()}): with MONITORING_TOKEN set, a caller that
 * presents it as a bearer token, from anywhere; without it, loopback clients only. The client is the socket's peer:
 * forwarded headers are not trusted, so a proxy in front counts as the remote client it is.
 */
public final class MonitoringAccess {
  private final BearerToken token;

  /** @param token MONITORING_TOKEN, or null when unset */
  public MonitoringAccess(String token) {
    this.token = token == null ? null : new BearerToken(token);
  }

  /** Whether MONITORING_TOKEN is set: callers then show it from anywhere, else only loopback is served. */
  public boolean tokenRequired() {
    return token != null;
  }

  public boolean allowed(RoutingContext ctx) {
    return token != null ? token.matches(ctx.request().getHeader("Authorization")) : loopback(ctx.request().remoteAddress());
  }

  /** Passes an allowed caller on; anyone else gets 401 (token set) or 403 (loopback only) with a JSON reason. */
  public Handler<RoutingContext> guard() {
    return ctx -> {
      if (allowed(ctx)) {
        ctx.next();
      } else if (token != null) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"splitbot-monitoring\"");
        JsonErrors.send(ctx, 401, "monitoring needs Authorization: Bearer <MONITORING_TOKEN>");
      } else {
        JsonErrors.send(ctx, 403, "monitoring is served to loopback clients only; set MONITORING_TOKEN to read it from elsewhere");
      }
    };
  }

  static boolean loopback(SocketAddress peer) {
    if (peer == null || peer.hostAddress() == null) {
      return false;
    }
    try {
      // an IP literal: no name lookup happens
      return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
