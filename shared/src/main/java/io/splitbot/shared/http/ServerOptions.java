package io.splitbot.shared.http;

import io.vertx.core.http.HttpServerOptions;

/** How both services' HTTP servers are set up. */
public final class ServerOptions {
  /** Longer than the keep-alive of Telegram's and common proxies' connections, so they close them first. */
  private static final int IDLE_TIMEOUT_SECONDS = 75;

  private ServerOptions() {
  }

  /**
   * HTTP/1.1 only. Telegram, the legacy bot and operators' tools speak HTTP/1.1; an h2c upgrade on a public port is
   * one more protocol path to get wrong, for nothing any client here needs.
   */
  public static HttpServerOptions http1() {
    return new HttpServerOptions().setHttp2ClearTextEnabled(false).setIdleTimeout(IDLE_TIMEOUT_SECONDS);
  }
}
