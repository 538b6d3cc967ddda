package io.splitbot.shared.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A TCP relay to the test Redis that the test can cut (every connection closed, new ones refused) and restore. */
final class RedisProxy {
  private final Vertx vertx;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private NetClient client;
  private volatile boolean up = true;

  RedisProxy(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Listens on a free port; answers the Redis URL to give a client. */
  Future<String> start() {
    client = vertx.createNetClient();
    server = vertx.createNetServer().connectHandler(in -> {
      if (!up) {
        in.close();
        return;
      }
      in.pause();
      client.connect(6379, "127.0.0.1").onComplete(ar -> {
        if (ar.failed() || !up) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        open.add(in);
        open.add(out);
        in.handler(out::write);
        out.handler(in::write);
        in.closeHandler(v -> out.close());
        out.closeHandler(v -> in.close());
        in.resume();
      });
    });
    return server.listen(0, "127.0.0.1").map(s -> "redis://127.0.0.1:" + s.actualPort());
  }

  void cut() {
    up = false;
    open.forEach(NetSocket::close);
    open.clear();
  }

  void restore() {
    up = true;
  }

  Future<Void> stop() {
    cut();
    return server.close().eventually(client::close);
  }
}
