package io.splitbot.tests.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The monolith being migrated away from: a real HTTP server that takes Telegram webhook POSTs at {@link #PATH} on a
 * port chosen up front, so a test can leave it down (connection refused), start it later, and make it answer 500 for
 * a while. It records every POST with the status it answered.
 */
public final class FakeLegacyBot {
  public static final String PATH = "/legacy/telegram";

  /** One POST: its body as sent, the secret header, and what the bot answered. */
  public record Delivery(String body, String secretHeader, String contentType, int status) {
    public long updateId() {
      return new JsonObject(body).getLong("update_id");
    }

    public boolean accepted() {
      return status >= 200 && status < 300;
    }
  }

  private final Vertx vertx;
  private final int port;
  private final List<Delivery> deliveries = new ArrayList<>();
  private int failNext;
  private volatile HttpServer server;

  public FakeLegacyBot(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  public String url() {
    return "http://127.0.0.1:" + port + PATH;
  }

  public Future<Void> start() {
    Router router = Router.router(vertx);
    router.post(PATH).handler(BodyHandler.create(false));
    router.post(PATH).handler(ctx -> {
      int status;
      synchronized (this) {
        status = failNext > 0 ? 500 : 200;
        if (failNext > 0) {
          failNext--;
        }
        deliveries.add(new Delivery(ctx.body().asString(), ctx.request().getHeader("X-Telegram-Bot-Api-Secret-Token"),
            ctx.request().getHeader("Content-Type"), status));
      }
      ctx.response().setStatusCode(status).end(status == 200 ? "ok" : "legacy is having a bad day");
    });
    return vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").onSuccess(s -> server = s).mapEmpty();
  }

  public Future<Void> stop() {
    HttpServer s = server;
    server = null;
    return s == null ? Future.succeededFuture() : s.close();
  }

  /** The next {@code n} POSTs get 500. */
  public synchronized void failNext(int n) {
    failNext = n;
  }

  public synchronized List<Delivery> deliveries() {
    return new ArrayList<>(deliveries);
  }

  public List<Delivery> accepted() {
    return deliveries().stream().filter(Delivery::accepted).toList();
  }

  /** Waits until {@code count} POSTs were answered 2xx. */
  public void awaitAccepted(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (accepted().size() >= count) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the legacy bot accepted " + accepted().size() + " of " + count + " updates within " + timeout);
  }
}
