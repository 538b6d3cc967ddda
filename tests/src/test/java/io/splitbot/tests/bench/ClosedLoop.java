package io.splitbot.tests.bench;

import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
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
 * Closed-loop ack driver: {@code connections} keep-alive HTTP/1.1 connections, each with exactly one request in
 * flight; the next POST goes out as soon as the previous answer is read. Records the time from handing the request
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
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(port)
            .setKeepAlive(true)
            .setKeepAliveTimeout(120)
            .setPipelining(false)
            .setTcpNoDelay(true))
        .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
        .withConnectHandler(c -> opened.incrementAndGet())
        .build();

    Histogram histogram = Latency.histogram();
    Object lock = new Object();
    AtomicLong acked = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Map<String, Long> kinds = new TreeMap<>();

    long start = System.nanoTime();
    long measureFrom = start + warmup.toNanos();
    long measureTo = measureFrom + measure.toNanos();
    CountDownLatch finished = new CountDownLatch(connections);

    class User {
      final Context context;

      User(Context context) {
        this.context = context;
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
        client.request(options)
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
              } else {
                // Don't spin on a refused connection or a 503; Telegram would wait much longer.
                vertx.setTimer(5, t -> next());
              }
            });
      }
    }

    // Spread the users over the driver's event loops; each connection lives on the loop that opened it.
    for (int i = 0; i < connections; i++) {
      Context context = vertx.getOrCreateContext();
      User user = new User(context);
      context.runOnContext(v -> user.next());
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
    Future<Void> closed = client.close();
    closed.await(10, TimeUnit.SECONDS);
    double seconds = Math.max(1e-9, measure.toNanos() / 1e9);
    synchronized (lock) {
      return new Result(acked.get() / seconds, Latency.of(histogram), acked.get(), errors.get(), new TreeMap<>(kinds), opened.get());
    }
  }
}
