package io.splitbot.edge.spool;

import io.splitbot.shared.bus.SpoolFence;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the partitions this edge holds and feeds their updates in stream order, which is each chat's append order
 * whichever edge appended. On acquisition a partition is read from its oldest entry in XRANGE pages (on the pooled
 * client), then tailed: one {@code XREAD BLOCK} over every tailed partition, on a connection of a client of its own,
 * because a blocked command would hold up everything queued behind it on a shared connection (and a pooled one given
 * back while it blocks would hold up the next command to take it). A partition taken while a read blocks
 * joins the next one, at most {@link #BLOCK_MS} later; its entries up to then came with the catch-up read. Runs on
 * the spool's context only.
 */
final class PartitionTail {
  static final long BLOCK_MS = 1_000;
  private static final int PAGE = 500;
  private static final long RETRY_MS = 1_000;
  private static final Logger log = LoggerFactory.getLogger(PartitionTail.class);

  /** One held partition: read up to {@code last}; tailed once the catch-up is done. */
  private static final class Reading {
    final SpoolFence fence;
    final String stream;
    String last = "0-0";
    boolean tailing;

    Reading(SpoolFence fence, String stream) {
      this.fence = fence;
      this.stream = stream;
    }
  }

  private final Vertx vertx;
  private final Redis redis;
  private final Function<Request, Future<Response>> send;
  private final Function<Integer, String> streamKey;
  private final Feed feed;
  private final long guardMs;
  private final Map<Integer, Reading> reading = new HashMap<>();
  private RedisConnection connection;
  private boolean looping;
  private boolean closed;

  /** Hands on one entry of a held partition; the spool decodes it. */
  interface Feed {
    void entry(SpoolFence fence, String stream, String entryId, Response fields);
  }

  /**
   * @param send the pooled client, for the catch-up reads
   * @param redis a client for the tail alone, closed with it
   * @param commandTimeoutMs how long past its block a read may take before the connection counts as dead
   */
  PartitionTail(Vertx vertx, Redis redis, Function<Request, Future<Response>> send, Function<Integer, String> streamKey,
      Feed feed, long commandTimeoutMs) {
    this.vertx = vertx;
    this.redis = redis;
    this.send = send;
    this.streamKey = streamKey;
    this.feed = feed;
    this.guardMs = BLOCK_MS + commandTimeoutMs;
  }

  /** Reads the partition from its oldest entry, then tails it. */
  void start(SpoolFence fence) {
    Reading partition = new Reading(fence, streamKey.apply(fence.partition()));
    reading.put(fence.partition(), partition);
    catchUp(partition, "-");
  }

  /** Feeds nothing more of the partition (an answer already under way is dropped). */
  void stop(int partition) {
    reading.remove(partition);
  }

  void close() {
    closed = true;
    reading.clear();
    connection = null;
    redis.close();
  }

  private boolean current(Reading partition) {
    return !closed && reading.get(partition.fence.partition()) == partition;
  }

  private void catchUp(Reading partition, String from) {
    send.apply(Request.cmd(Command.XRANGE).arg(partition.stream).arg(from).arg("+").arg("COUNT").arg(PAGE))
        .onSuccess(page -> {
          for (Response entry : page) {
            if (!current(partition)) {
              return;
            }
            partition.last = entry.get(0).toString();
            feed.entry(partition.fence, partition.stream, partition.last, entry.get(1));
          }
          if (!current(partition)) {
            return;
          }
          if (page.size() == PAGE) {
            // "(" starts the next page after the last entry (exclusive range, Redis 6.2+).
            catchUp(partition, "(" + partition.last);
          } else {
            partition.tailing = true;
            loop();
          }
        })
        .onFailure(e -> vertx.setTimer(RETRY_MS, t -> {
          if (current(partition)) {
            catchUp(partition, partition.last.equals("0-0") ? "-" : "(" + partition.last);
          }
        }));
  }

  /** One blocking read at a time, over every tailed partition, from where each was read up to. */
  private void loop() {
    List<Reading> tailed = reading.values().stream().filter(r -> r.tailing).toList();
    if (looping || closed || tailed.isEmpty()) {
      return;
    }
    looping = true;
    Request xread = Request.cmd(Command.XREAD).arg("COUNT").arg(PAGE).arg("BLOCK").arg(BLOCK_MS).arg("STREAMS");
    tailed.forEach(r -> xread.arg(r.stream));
    tailed.forEach(r -> xread.arg(r.last));
    connection()
        .compose(c -> c.send(xread).timeout(guardMs, TimeUnit.MILLISECONDS))
        .onComplete(ar -> {
          looping = false;
          if (closed) {
            return;
          }
          if (ar.failed()) {
            log.debug("spool tail read failed ({}); reading again in {} ms", ar.cause().toString(), RETRY_MS);
            dropConnection();
            vertx.setTimer(RETRY_MS, t -> loop());
            return;
          }
          if (ar.result() != null) {
            fed(tailed, ar.result());
          }
          loop();
        });
  }

  /** XREAD answers a map stream → entries under RESP3, and [[stream, entries], …] under RESP2. */
  private void fed(List<Reading> asked, Response answer) {
    Map<String, Reading> byStream = new HashMap<>();
    asked.forEach(r -> byStream.put(r.stream, r));
    List<Map.Entry<String, Response>> streams = new ArrayList<>();
    if (answer.isMap()) {
      answer.getKeys().forEach(stream -> streams.add(Map.entry(stream, answer.get(stream))));
    } else {
      answer.forEach(stream -> streams.add(Map.entry(stream.get(0).toString(), stream.get(1))));
    }
    for (Map.Entry<String, Response> stream : streams) {
      Reading partition = byStream.get(stream.getKey());
      if (partition == null) {
        continue;
      }
      for (Response entry : stream.getValue()) {
        if (!current(partition)) {
          break;
        }
        partition.last = entry.get(0).toString();
        feed.entry(partition.fence, partition.stream, partition.last, entry.get(1));
      }
    }
  }

  private Future<RedisConnection> connection() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return redis.connect().map(c -> {
      if (closed) {
        c.close();
        throw new IllegalStateException("the spool is closed");
      }
      connection = c;
      c.exceptionHandler(e -> dropConnection());
      return c;
    });
  }

  private void dropConnection() {
    if (connection != null) {
      connection.close();
      connection = null;
    }
  }
}
