package io.splitbot.desk.numbering;

import io.splitbot.desk.storage.CounterRepository;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Optional;

/**
 * The database fallback's numbers, reserved from the day counter a block at a time (DB_FALLBACK_BATCH_SIZE) and
 * handed out in order: one atomic raise of the counter makes a block this worker's alone, so workers never share a
 * number and each asks the database once per block instead of once per number. A block belongs to one day; a new
 * day, or {@link #drop()}, leaves the rest of the block unused, never to be handed out by anyone (the counter already
 * stands above it).
 */
final class NumberBlocks {
  /** The numbers {@code next..last} of {@code day} not handed out yet. */
  record Block(String day, long next, long last) {
    boolean has(String today) {
      return day.equals(today) && next <= last;
    }
  }

  private final CounterRepository counters;
  private final int size;
  /** Guarded by this. */
  private Block block;
  /** The reservation in flight, which concurrent callers wait for instead of reserving a block each; guarded by this. */
  private Future<Void> reserving;
  /** Counts {@link #drop()}s: a block reserved before the latest drop is skipped too; guarded by this. */
  private long generation;

  NumberBlocks(CounterRepository counters, int size) {
    this.counters = counters;
    this.size = size;
  }

  /** The next number of {@code day}'s block, reserving a new block when there is none left. */
  synchronized Future<Long> next(String day) {
    if (block != null && block.has(day)) {
      long n = block.next();
      block = new Block(day, n + 1, block.last());
      return Future.succeededFuture(n);
    }
    Future<Void> pending = reserving;
    if (pending == null) {
      Promise<Void> done = Promise.promise();
      pending = reserving = done.future(); // set before the call: a store that answers at once clears it in time
      long reservedIn = generation;
      counters.reserve(day, size).onComplete(ar -> {
        synchronized (this) {
          reserving = null;
          if (ar.succeeded() && reservedIn == generation) {
            block = new Block(day, ar.result() - size + 1, ar.result());
          }
        }
        done.handle(ar.mapEmpty());
      });
    }
    // after the reservation, take from the new block (or reserve again if others emptied it first)
    return pending.compose(v -> next(day));
  }

  /** Redis answers again: the rest of the block is skipped, so numbers go on rising with Redis's. */
  synchronized void drop() {
    block = null;
    generation++;
  }

  /** The block being handed out, if any numbers are left in it. */
  synchronized Optional<Block> inUse() {
    return block != null && block.next() <= block.last() ? Optional.of(block) : Optional.empty();
  }
}
