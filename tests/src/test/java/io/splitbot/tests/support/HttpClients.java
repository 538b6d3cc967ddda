package io.splitbot.tests.support;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The JDK HTTP client as every test builds it: HTTP/1.1, which is what Telegram, the legacy bot and operators' tools
 * speak to splitbot. The JDK's default would first try an h2c upgrade, a path splitbot's servers do not offer and
 * one in which a request once hung past its own timeout.
 */
public final class HttpClients {
  private HttpClients() {
  }

  public static HttpClient http1(Duration connectTimeout) {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
  }
}
