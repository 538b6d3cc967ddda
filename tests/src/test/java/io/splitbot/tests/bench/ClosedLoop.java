package io.splitbot.tests.bench;

import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop ack driver: {@code connections} keep-alive HTTP/1.1 connections, each opened explicitly and used by
 * one sender with exactly one request in flight; the next POST goes out as soon as the previous answer is read. Records the time from handing the request
 * to the client until the whole answer is in, for requests sent after the warm-up and answered before the end.
 */
final class ClosedLoop {

  record Result(double perSecond, Latency ack, long acked, long errors, Map<String, Long> errorKinds, int connectionsOpened) {
  }

  private final Vertx vertx;
  private final int port;
  private final int connections;
  private final Corpus corpus;
  private final AtomicLong ids;

  ClosedLoop(Vertx vertx, int port, int connections, Corpus corpus, AtomicLong ids) {
    this.vertx = vertx;
    this.port = port;
    this.connections = connections;
    this.corpus = corpus;
    this.ids = ids;
  }

  /** Runs warm-up then measurement; {@code onMeasureStart} runs when the measured window opens. */
  Result run(Duration warmup, Duration measure, Runnable onMeasureStart, Runnable onMeasureEnd) throws Exception {
    AtomicInteger opened = new AtomicInteger();
    HttpClientAgent client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setKeepAliveTimeout(120)
            .setPipelining(false)
            .setTcpNoDelay(true))
        .build();
    HttpConnectOptions connect = new HttpConnectOptions().setHost("127.0.0.1").setPort(port);

    Histogram histogram = Latency.histogram();
    Object lock = new Object();
    AtomicLong acked = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Map<String, Long> kinds = new TreeMap<>();

    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureTo = measureFrom + measure.toNanos();
    CountDownLatch finished = new CountDownLatch(connections);

    /**
     * One simulated sender with its own keep-alive connection, opened from (and so living on) one driver event
     * loop: every callback of this user runs on that loop, and no request ever waits for another's connection.
     */
    class User {
      HttpClientConnection connection;

      void open() {
        if (System.nanoTime() >= measureTo) {
          finished.countDown();
          return;
        }
        client.connect(connect).onComplete(ar -> {
          if (ar.succeeded()) {
            opened.incrementAndGet();
            connection = ar.result();
            next();
          } else {
            vertx.setTimer(50, t -> open());
          }
        });
      }

      void next() {
        long t0 = System.nanoTime();
        if (t0 >= measureTo) {
          finished.countDown();
          return;
        }
        long id = ids.getAndIncrement();
        Buffer body = corpus.body(id);
        RequestOptions options = new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI("/webhook/telegram")
            .putHeader("Content-Type", "application/json")
            .putHeader("X-Telegram-Bot-Api-Secret-Token", TestEnv.WEBHOOK_SECRET);
        connection.request(options)
            .compose(req -> req.send(body))
            .compose(resp -> resp.body().map(b -> resp.statusCode()))
            .onComplete(ar -> {
              long t1 = System.nanoTime();
              boolean inWindow = t0 >= measureFrom && t1 <= measureTo;
              boolean ok = ar.succeeded() && ar.result() == 200;
              if (inWindow) {
                if (ok) {
                  acked.incrementAndGet();
                  synchronized (lock) {
                    Latency.record(histogram, t1 - t0);
                  }
                } else {
                  errors.incrementAndGet();
                  String kind = ar.succeeded() ? "HTTP " + ar.result() : ar.cause().getClass().getSimpleName();
                  synchronized (lock) {
                    kinds.merge(kind, 1L, Long::sum);
                  }
                }
              }
              if (ok) {
                next();
              } else if (ar.failed()) {
                // The connection broke: open a new one (counted in connectionsOpened).
                connection.close();
                vertx.setTimer(5, t -> open());
              } else {
                // Don't spin on a 503; Telegram would wait much longer.
                vertx.setTimer(5, t -> next());
              }
            });
      }
    }

    // Spread the users over the driver's event loops (a context made outside Vert.x takes the next loop).
    java.util.List<User> users = new java.util.ArrayList<>();
    for (int i = 0; i < connections; i++) {
      User user = new User();
      users.add(user);
      vertx.getOrCreateContext().runOnContext(v -> user.open());
    }
    long untilMeasure = measureFrom - System.nanoTime();
    if (untilMeasure > 0) {
      TimeUnit.NANOSECONDS.sleep(untilMeasure);
    }
    onMeasureStart.run();
    long untilEnd = measureTo - System.nanoTime();
    if (untilEnd > 0) {
      TimeUnit.NANOSECONDS.sleep(untilEnd);
    }
    onMeasureEnd.run();
    if (!finished.await(30, TimeUnit.SECONDS)) {
      System.out.println("[bench] warning: some requests were still in flight 30 s after the end");
    }
    for (User user : users) {
      if (user.connection != null) {
        user.connection.close();
      }
    }
    Future<Void> closed = client.close();
    closed.await(10, TimeUnit.SECONDS);
    double seconds = Math.max(1e-9, measure.toNanos() / 1e9);
    synchronized (lock) {
      return new Result(acked.get() / seconds, Latency.of(histogram), acked.get(), errors.get(), new TreeMap<>(kinds), opened.get());
    }
  }
}
