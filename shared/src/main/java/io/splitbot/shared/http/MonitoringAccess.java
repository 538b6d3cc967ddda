package io.splitbot.shared.http;

import io.vertx.core.Handler;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;

/**
 * The one rule for who may read what the services know about themselves (/metrics, /monitoring/*, the detail of the
 * health answers, and any operator page mounted behind {@link #guard()}): with MONITORING_TOKEN set, a caller that
 * presents it as a bearer token, from anywhere; without it, loopback clients that name a loopback host only. The
 * client is the socket's peer: forwarded headers are not trusted, so a proxy in front counts as the remote client it
 * is. The Host check keeps a web page out whose own name was re-pointed at 127.0.0.1 (DNS rebinding): the browser
 * is then a loopback client, but it names the page's host.
 */
public final class MonitoringAccess {
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");
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
    return token != null ? token.matches(ctx.request().getHeader("Authorization"))
        : loopback(ctx.request().remoteAddress()) && loopbackName(ctx.request().authority());
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
        JsonErrors.send(ctx, 403, "monitoring is served to loopback clients naming localhost or 127.0.0.1 only; set MONITORING_TOKEN to read it from elsewhere");
      }
    };
  }

  /** The request names this machine (an HTTP/1.0 request without Host names nothing, and is a local tool's). */
  static boolean loopbackName(HostAndPort authority) {
    return authority == null || LOOPBACK_HOSTS.contains(authority.host().toLowerCase(Locale.ROOT));
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
