package io.splitbot.worker.dedup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two million updates at a simulated 1,000 a second through the embedded dedup, numbered as Telegram numbers them:
 * handled out of order within 64 in flight, one in 500 finishing seconds late, one in 100,000 never coming and another
 * one coming minutes late. What the window holds after 100,000 and after 2,000,000 is the same handful of entries:
 * it follows the gaps, not the updates. The heap figures are printed for docs/BENCHMARKS.md.
 */
class FileDeduplicatorFootprintTest {
  static final long DAY = 86_400;
  static final long T0 = 1_700_000_000;
  static final int IN_FLIGHT = 64;
  static final int PER_SECOND = 1_000;
  static final int BATCH = 10_000;

  @TempDir
  Path dir;

  @Test
  void twoMillionMarksLeaveTheWindowAsSmallAsAHundredThousand() {
    Vertx vertx = Vertx.vertx();
    try {
      long baseline = usedHeapAfterGc();
      AtomicLong clock = new AtomicLong(T0);
      FileDeduplicator dedup = FileDeduplicator.open(vertx, dir, DAY, clock::get).await();
      OnLoop loop = new OnLoop(vertx);
      Traffic traffic = new Traffic(clock);

      traffic.markUpTo(loop, dedup, 100_000);
      HandledIds.Footprint atFirst = dedup.footprint();
      long heapAtFirst = usedHeapAfterGc();
      traffic.markUpTo(loop, dedup, 2_000_000);
      HandledIds.Footprint atLast = dedup.footprint();
      long heapAtLast = usedHeapAfterGc();

      System.out.printf("dedup footprint after 100k marks: %s, %d entries; heap used after GC %.2f MB (%.2f MB before)%n",
          atFirst, atFirst.entries(), heapAtFirst / 1e6, baseline / 1e6);
      System.out.printf("dedup footprint after 2M marks:   %s, %d entries; heap used after GC %.2f MB; "
          + "%+.3f bytes per further id%n", atLast, atLast.entries(), heapAtLast / 1e6,
          (heapAtLast - heapAtFirst) / 1_900_000.0);

      // Per stretch: at most the 64 in flight above the watermark, a region a minute, one hole per id never sent.
      assertTrue(atLast.above() <= IN_FLIGHT, atLast.toString());
      assertTrue(atLast.regions() <= 2_000_000 / PER_SECOND / 60 + 2, atLast.toString());
      // A hole stays after its update came late: it is the late run that says handled.
      assertTrue(atLast.holes() <= traffic.neverSent + traffic.sentLate, atLast.toString());
      assertTrue(atLast.late() <= traffic.sentLate, atLast.toString());
      assertTrue(atLast.entries() <= 150, "bounded by the gaps, not the 2,000,000 ids: " + atLast);
      assertTrue(loop.answers(dedup, 1_999_000, 1_999_100).stream().filter(handled -> handled).count() >= 100 - IN_FLIGHT);
      assertTrue(Files.size(dir.resolve("dedup.bin")) < 4L * 1024 * 1024, "the file is compacted as it grows");
      loop.await(dedup::close);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } finally {
      vertx.close().await();
    }
  }

  /** The sequence and the order the worker would finish its updates in. */
  static final class Traffic {
    final AtomicLong clock;
    final Random random = new Random(2);
    /** (due at sequence position, id), soonest first. */
    final PriorityQueue<long[]> delayed = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
    long next = 1;
    int neverSent;
    int sentLate;

    Traffic(AtomicLong clock) {
      this.clock = clock;
    }

    void markUpTo(OnLoop loop, FileDeduplicator dedup, long last) {
      while (next <= last) {
        List<Long> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++, next++) {
          if (next % 100_000 == 0) {
            neverSent++;
          } else if (next % 100_000 == 50) {
            sentLate++;
            delayed.add(new long[] {next + 200 * PER_SECOND, next});
          } else if (next % 500 == 0) {
            delayed.add(new long[] {next + 5 * PER_SECOND + random.nextInt(20 * PER_SECOND), next});
          } else {
            batch.add(next);
          }
          while (!delayed.isEmpty() && delayed.peek()[0] <= next) {
            batch.add(delayed.poll()[1]);
          }
        }
        for (int from = 0; from < batch.size(); from += IN_FLIGHT) {
          Collections.shuffle(batch.subList(from, Math.min(batch.size(), from + IN_FLIGHT)), random);
        }
        long firstOfBatch = next - BATCH;
        loop.await(() -> {
          List<Future<Void>> marks = new ArrayList<>(batch.size());
          for (int i = 0; i < batch.size(); i++) {
            clock.set(T0 + (firstOfBatch + i) / PER_SECOND);
            marks.add(dedup.markHandled(Long.toString(batch.get(i))));
          }
          return Future.all(marks).mapEmpty();
        });
      }
    }
  }

  private static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
