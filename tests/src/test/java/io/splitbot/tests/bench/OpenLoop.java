package io.splitbot.tests.bench;

import io.splitbot.testkit.FakeTelegramApi;
import io.splitbot.tests.support.TestEnv;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop end-to-end driver: posts {@code /echo u<update_id>} updates at a fixed rate over many chats, never
 * waiting for answers, and times each update from its scheduled send time to the arrival of its sendMessage at the
 * fake Bot API (same JVM, same {@link System#nanoTime()} clock). Scheduled, not actual, send time: a driver that
 * falls behind is charged to the latency instead of hiding it.
 */
final class OpenLoop {

  record Result(double offeredPerSecond, long sent, long measured, Latency e2e, Latency ack, long ackErrors,
                long noReply, long repliedTwice, double maxDriverLagMs, int connectionsOpened, String trend) {
  }

  /** Hears of each update as it goes out and of its ack: the soak keeps its per-minute figures from these. */
  interface Listener {
    /** On the pacing thread, as the update is handed to an event loop. */
    void sent(long updateId, long scheduledNanos);

    /** On an event loop: whether the edge answered 200. */
    void acked(long updateId, boolean ok);
  }

  private static final Listener NO_LISTENER = new Listener() {
    @Override
    public void sent(long updateId, long scheduledNanos) {
    }

    @Override
    public void acked(long updateId, boolean ok) {
    }
  };

  private final Vertx vertx;
  private final int port;
  private final int connections;
  private final int chats;
  private Listener listener = NO_LISTENER;

  OpenLoop(Vertx vertx, int port, int connections, int chats) {
    this.vertx = vertx;
    this.port = port;
    this.connections = connections;
    this.chats = chats;
  }

  OpenLoop listener(Listener listener) {
    this.listener = listener;
    return this;
  }

  /**
   * Sends for {@code warmup + measure}, then waits up to {@code drain} for the replies and matches them. With
   * {@code fake} null the caller takes the replies itself (the soak empties the fake as it goes, to keep the
   * driver's memory flat): no wait, and the reply figures are empty (no reply and replied twice -1).
   */
  Result run(FakeTelegramApi fake, long firstId, int ratePerSecond, Duration warmup, Duration measure,
             Duration drain, Runnable onMeasureStart, Runnable onMeasureEnd) throws Exception {
    AtomicInteger opened = new AtomicInteger();
    HttpClientAgent client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(port)
            .setKeepAlive(true)
            .setKeepAliveTimeout(120)
            .setTcpNoDelay(true))
        .with(new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1))
        .withConnectHandler(c -> opened.incrementAndGet())
        .build();

    long interval = 1_000_000_000L / ratePerSecond;
    int total = (int) ((warmup.toNanos() + measure.toNanos()) / interval);
    int firstMeasured = (int) (warmup.toNanos() / interval);
    AtomicLongArray scheduled = new AtomicLongArray(total);
    AtomicLongArray acked = new AtomicLongArray(total);
    AtomicLong ackErrors = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    AtomicLong maxLag = new AtomicLong();
    Context[] contexts = {vertx.getOrCreateContext(), vertx.getOrCreateContext()};

    long start = System.nanoTime() + 10_000_000L;
    boolean measuring = false;
    for (int i = 0; i < total; i++) {
      long at = start + i * interval;
      long wait;
      while ((wait = at - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (!measuring && i >= firstMeasured) {
        measuring = true;
        onMeasureStart.run();
      }
      int index = i;
      long id = firstId + i;
      scheduled.set(i, at);
      listener.sent(id, at);
      contexts[i & 1].runOnContext(v -> {
        long lag = System.nanoTime() - at;
        maxLag.accumulateAndGet(index >= firstMeasured ? lag : 0, Math::max);
        Buffer body = Corpus.echo(id, chats);
        RequestOptions options = new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setURI("/webhook/telegram")
            .putHeader("Content-Type", "application/json")
            .putHeader("X-Telegram-Bot-Api-Secret-Token", TestEnv.WEBHOOK_SECRET);
        client.request(options)
            .compose(req -> req.send(body))
            .compose(resp -> resp.body().map(b -> resp.statusCode()))
            .onComplete(ar -> {
              boolean ok = ar.succeeded() && ar.result() == 200;
              if (ok) {
                acked.set(index, System.nanoTime());
              } else {
                ackErrors.incrementAndGet();
              }
              listener.acked(id, ok);
              answered.incrementAndGet();
            });
      });
    }
    onMeasureEnd.run();

    // Let the last replies arrive, then match every sendMessage to its update by the echoed text.
    int expected = total;
    long deadline = System.nanoTime() + drain.toNanos();
    while (fake != null && System.nanoTime() < deadline && fake.calls("sendMessage").size() < expected) {
      TimeUnit.MILLISECONDS.sleep(250);
    }
    Map<Long, Long> firstReply = new HashMap<>();
    long twice = 0;
    for (FakeTelegramApi.RecordedCall call : fake == null ? List.<FakeTelegramApi.RecordedCall>of() : fake.calls("sendMessage")) {
      String text = call.params().getString("text");
      if (text == null || !text.startsWith("u")) {
        continue;
      }
      long id = Long.parseLong(text.substring(1));
      if (firstReply.putIfAbsent(id, call.atNanos()) != null) {
        twice++;
      }
    }
    Histogram e2e = Latency.histogram();
    Histogram ack = Latency.histogram();
    // e2e p50 per 5 s of the measured window: flat when the setup keeps up, climbing when it falls behind.
    int perBucket = ratePerSecond * 5;
    StringBuilder trend = new StringBuilder();
    Histogram bucket = Latency.histogram();
    long noReply = 0;
    for (int i = firstMeasured; i < total; i++) {
      Long at = firstReply.get(firstId + i);
      if (at == null) {
        noReply++;
      } else {
        Latency.record(e2e, at - scheduled.get(i));
        Latency.record(bucket, at - scheduled.get(i));
      }
      if ((i - firstMeasured + 1) % perBucket == 0 || i == total - 1) {
        trend.append(trend.length() == 0 ? "" : " → ").append(Latency.fmt(Latency.of(bucket).p50()));
        bucket.reset();
      }
      if (acked.get(i) != 0) {
        Latency.record(ack, acked.get(i) - scheduled.get(i));
      }
    }
    if (Boolean.getBoolean("bench.debug")) {
      // Per second from the first update: e2e p50/max and ack p50, to see stalls and backlogs.
      StringBuilder debug = new StringBuilder("[bench] per second (e2e p50/max, ack p50 ms):");
      Histogram e = Latency.histogram();
      Histogram a = Latency.histogram();
      for (int i = 0; i < total; i++) {
        Long at = firstReply.get(firstId + i);
        if (at != null) {
          Latency.record(e, at - scheduled.get(i));
        }
        if (acked.get(i) != 0) {
          Latency.record(a, acked.get(i) - scheduled.get(i));
        }
        if ((i + 1) % ratePerSecond == 0) {
          debug.append(String.format(" %d:%s/%s,%s", (i + 1) / ratePerSecond, Latency.fmt(Latency.of(e).p50()),
              Latency.fmt(Latency.of(e).max()), Latency.fmt(Latency.of(a).p50())));
          e.reset();
          a.reset();
        }
      }
      System.out.println(debug);
    }
    // Closing the client fails the requests still queued on a busy event loop: let every one have its answer first.
    long answersBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (answered.get() < total && System.nanoTime() < answersBy) {
      TimeUnit.MILLISECONDS.sleep(50);
    }
    client.close().await(10, TimeUnit.SECONDS);
    return new Result(ratePerSecond, total, total - firstMeasured, Latency.of(e2e), Latency.of(ack), ackErrors.get(),
        fake == null ? -1 : noReply, fake == null ? -1 : twice, maxLag.get() / 1e6, opened.get(), trend.toString());
  }
}
