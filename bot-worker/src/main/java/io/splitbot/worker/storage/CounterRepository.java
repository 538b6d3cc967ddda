package io.splitbot.worker.storage;

import io.vertx.core.Future;

/**
 * Per-day request-number counters: the fallback when Redis is down. The increment is atomic in PostgreSQL and the
 * JSON store; in Airtable it is serialised within one process only (the unique request number is the final guard).
 */
public interface CounterRepository {
  /** Atomically increments the day's counter (first call of a day gives 1) and returns the new value. */
  Future<Long> nextCounter(String yymmdd);

  /** Raises the day's counter to at least {@code value} (never lowers it), e.g. after numbers came from Redis. */
  Future<Void> raiseTo(String yymmdd, long value);

  /** The day's current value, 0 when none was allocated. */
  Future<Long> current(String yymmdd);
}
