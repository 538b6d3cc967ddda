package io.splitbot.worker.storage;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs asynchronous operations one at a time per key (other keys run concurrently). Used where a backend has no
 * transactions (Airtable) and by the dual backend, so a live write and a repair of the same record never interleave.
 * Do not nest two operations on the same key: the inner one would wait for the outer one.
 */
public final class KeyedSerializer {
  private final Map<String, Future<?>> tails = new HashMap<>();

  public <T> Future<T> run(String key, Supplier<Future<T>> op) {
    Future<T> result;
    synchronized (this) {
      Future<?> previous = tails.get(key);
      result = previous == null ? safely(op) : previous.transform(ar -> safely(op));
      tails.put(key, result);
    }
    result.onComplete(ar -> {
      synchronized (this) {
        if (tails.get(key) == result) {
          tails.remove(key);
        }
      }
    });
    return result;
  }

  private static <T> Future<T> safely(Supplier<Future<T>> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  public synchronized int inFlight() {
    return tails.size();
  }
}
