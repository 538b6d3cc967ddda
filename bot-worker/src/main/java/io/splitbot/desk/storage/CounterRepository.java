package io.splitbot.desk.storage;

import static io.splitbot.desk.storage.DeskKinds.COUNTERS;

import io.splitbot.worker.storage.Storage;
import io.splitbot.worker.storage.Tx;
import io.vertx.core.Future;
import java.util.List;

/**
 * Per-day request-number counters: the fallback when Redis is down. The increment is atomic in PostgreSQL and the
 * JSON store; in Airtable it is serialised within one process only (the unique request number is the final guard).
 */
public final class CounterRepository {
  private final Storage storage;

  CounterRepository(Storage storage) {
    this.storage = storage;
  }

  /** Atomically increments the day's counter (first call of a day gives 1) and returns the new value. */
  public Future<Long> nextCounter(String yymmdd) {
    return reserve(yymmdd, 1);
  }

  /**
   * Atomically raises the day's counter by {@code count} and returns the new value: the numbers
   * {@code value - count + 1 .. value} are the caller's alone (a block of the database fallback).
   */
  public Future<Long> reserve(String yymmdd, int count) {
    if (count < 1) {
      return Future.failedFuture(new IllegalArgumentException("count must be >= 1, got " + count));
    }
    return raise(yymmdd, current -> current + count);
  }

  /** Raises the day's counter to at least {@code value} (never lowers it), e.g. after numbers came from Redis. */
  public Future<Void> raiseTo(String yymmdd, long value) {
    return raise(yymmdd, current -> Math.max(current, value)).mapEmpty();
  }

  /** The day's current value, 0 when none was allocated. */
  public Future<Long> current(String yymmdd) {
    try {
      new DayCounter(yymmdd, 0);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return storage.records(COUNTERS).get(yymmdd).map(c -> c == null ? 0L : c.value());
  }

  private Future<Long> raise(String yymmdd, java.util.function.LongUnaryOperator next) {
    return storage.update(List.of(Tx.ref(COUNTERS, yymmdd)), tx -> {
      DayCounter c = tx.get(COUNTERS, yymmdd);
      long current = c == null ? 0 : c.value();
      DayCounter raised = new DayCounter(yymmdd, next.applyAsLong(current));
      if (c == null || raised.value() > current) {
        tx.put(COUNTERS, raised);
      }
      return raised.value();
    });
  }
}
