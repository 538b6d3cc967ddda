package io.splitbot.worker.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The window's answers, driven by marks at chosen epoch seconds: no file, no event loop, no real time. */
class HandledIdsTest {
  static final long DAY = 86_400;
  static final long T0 = 1_700_000_000;
  /** At the default window both the interval and the grace are a minute. */
  static final long GRACE = 60;

  final HandledIds ids = new HandledIds(DAY);

  void mark(long now, long... updateIds) {
    for (long id : updateIds) {
      ids.mark(id, now);
    }
  }

  void assertHandled(long now, long... updateIds) {
    for (long id : updateIds) {
      assertTrue(ids.isHandled(id, now), id + " should be handled at T0+" + (now - T0));
    }
  }

  void assertNotHandled(long now, long... updateIds) {
    for (long id : updateIds) {
      assertFalse(ids.isHandled(id, now), id + " should not be handled at T0+" + (now - T0));
    }
  }

  @Test
  void anIdIsHandledOnceMarkedAndNoOtherIs() {
    assertNotHandled(T0, 100);
    mark(T0, 100);
    assertHandled(T0, 100);
    assertNotHandled(T0, 99, 101, 0, Long.MAX_VALUE);
  }

  @Test
  void idsMarkedOutOfOrderAreAllHandledAndFoldIntoTheWatermark() {
    mark(T0, 100, 104, 102, 101, 103);
    assertHandled(T0, 100, 101, 102, 103, 104);
    assertNotHandled(T0, 99, 105);
    assertEquals(new HandledIds.Footprint(1, 0, 0, 0), ids.footprint());
  }

  @Test
  void aGapThatClosesWithinTheGraceLeavesNoHole() {
    mark(T0, 100, 102, 103);
    assertNotHandled(T0 + 30, 101);
    mark(T0 + 30, 101);
    mark(T0 + GRACE + 5, 104);
    assertHandled(T0 + GRACE + 5, 100, 101, 102, 103, 104);
    assertEquals(0, ids.footprint().holes());
    assertEquals(0, ids.footprint().above());
  }

  @Test
  void aGapOpenPastTheGraceBecomesAHoleThatStaysUnhandledUntilItsUpdateArrives() {
    mark(T0, 100, 103, 104);
    // The next mark after the grace moves the watermark past 101..102 and keeps them as a hole.
    mark(T0 + GRACE, 105);
    assertEquals(new HandledIds.Footprint(1, 1, 0, 0), ids.footprint());
    assertNotHandled(T0 + GRACE, 101, 102);
    assertHandled(T0 + GRACE, 100, 103, 104, 105);

    mark(T0 + 3_600, 102);
    assertHandled(T0 + 3_600, 102);
    assertNotHandled(T0 + 3_600, 101);
    assertEquals(1, ids.footprint().late());
  }

  @Test
  void aMarkCountsForTheTtlAndNotASecondLonger() {
    mark(T0, 100);
    mark(T0 + 30, 101);
    mark(T0 + 40, 103);
    assertHandled(T0 + DAY - 1, 100);
    assertNotHandled(T0 + DAY, 100);
    // 101 is dated with 100, the earliest mark of its stretch, and expires with it: early by 30 s, never late.
    assertHandled(T0 + DAY - 1, 101);
    assertNotHandled(T0 + 30 + DAY, 101);
    // 103 sat above a gap; its run is dated by its own mark.
    assertHandled(T0 + 40 + DAY - 1, 103);
    assertNotHandled(T0 + 40 + DAY, 103);
  }

  @Test
  void expiredMarksLeaveTheWindowAndTheirHolesWithThem() {
    long now = T0;
    for (long id = 1_000; id < 100_000; id++) {
      if (id % 1_000 != 0) {
        mark(now, id);
      }
      if (id % 100 == 0) {
        now++;
      }
    }
    mark(now + GRACE, 100_000);
    assertTrue(ids.footprint().holes() >= 90, ids.footprint().toString());
    long later = now + DAY + GRACE;
    mark(later, 100_001);
    assertEquals(new HandledIds.Footprint(1, 0, 0, 0), ids.footprint());
    assertNotHandled(later, 1_001, 50_001, 99_999, 100_000);
    assertHandled(later, 100_001);
  }

  @Test
  void aLowerIdAfterAWeekWithoutUpdatesIsNotHandledAndStartsTheWindowAgain() {
    mark(T0, LongStream.range(1_000_000, 1_000_100).toArray());
    long weekLater = T0 + 8 * DAY;
    assertNotHandled(weekLater, 300_000, 1_000_050);

    mark(weekLater, 300_000, 300_002, 300_001);
    assertHandled(weekLater, 300_000, 300_001, 300_002);
    assertNotHandled(weekLater, 299_999, 300_003, 1_000_050);
    assertEquals(new HandledIds.Footprint(1, 0, 0, 0), ids.footprint());
  }

  @Test
  void aLowerIdWithinALongerWindowIsKeptApartFromTheOldOnes() {
    HandledIds month = new HandledIds(30 * DAY);
    LongStream.range(1_000_000, 1_000_100).forEach(id -> month.mark(id, T0));
    long weekLater = T0 + 8 * DAY;
    assertFalse(month.isHandled(300_000, weekLater));
    month.mark(300_000, weekLater);
    month.mark(300_001, weekLater);
    assertTrue(month.isHandled(300_000, weekLater));
    assertTrue(month.isHandled(300_001, weekLater));
    assertFalse(month.isHandled(300_002, weekLater));
    assertTrue(month.isHandled(1_000_050, weekLater), "the old ids are still inside this window");
  }

  @Test
  void timeRunningBackwardsDoesNotRevive() {
    mark(T0, 100);
    mark(T0 + DAY, 101);
    assertNotHandled(T0 + 10, 100);
  }

  /**
   * Against a map of every mark, over sequences with updates out of order, late, skipped for good, quiet spells and
   * a new random start after them: the window never says handled where the map says not (an update would be lost),
   * and says handled wherever the map does, but for the last {@code interval + grace} of a mark's TTL.
   */
  @Test
  void agreesWithAMapOfEveryMark() {
    for (long ttl : new long[] {30, 600, DAY}) {
      for (int seed = 1; seed <= 3; seed++) {
        agreesWithAMapOfEveryMark(ttl, new Random(seed));
      }
    }
  }

  private static void agreesWithAMapOfEveryMark(long ttl, Random random) {
    HandledIds window = new HandledIds(ttl);
    long slack = 2 * Math.max(1, Math.min(60, ttl / 60));
    Map<Long, Long> lastMark = new HashMap<>();
    record Due(long at, long id) {
    }
    PriorityQueue<Due> arriving = new PriorityQueue<>((a, b) -> Long.compare(a.at(), b.at()));
    long now = T0;
    long next = 5_000;
    for (int step = 0; step < 60_000; step++) {
      int dice = random.nextInt(10_000);
      if (dice < 3) {
        now += ttl + random.nextInt((int) ttl);
        if (random.nextBoolean()) {
          next = 1 + random.nextInt(1_000_000);
        }
      } else if (dice < 2_000) {
        now += 1 + random.nextInt(3);
      }
      long id = next++;
      int kind = random.nextInt(100);
      if (kind >= 2) {
        long delay = kind < 6 ? random.nextInt(200) : random.nextInt(3);
        arriving.add(new Due(now + delay, id));
      }
      List<Long> ready = new ArrayList<>();
      while (!arriving.isEmpty() && arriving.peek().at() <= now) {
        ready.add(arriving.poll().id());
      }
      Collections.shuffle(ready, random);
      for (long arrived : ready) {
        // As the pipeline does: an update already handled is answered, not run and marked again.
        if (!window.isHandled(arrived, now)) {
          window.mark(arrived, now);
          lastMark.put(arrived, now);
        }
      }
      for (int probe = 0; probe < 4; probe++) {
        long probed = probe == 0 && !ready.isEmpty() ? ready.get(0) : next - random.nextInt(3_000);
        boolean handled = window.isHandled(probed, now);
        Long at = lastMark.get(probed);
        String where = "ttl " + ttl + ", step " + step + ", id " + probed + ", mark " + (at == null ? "none" : now - at + " s ago");
        if (handled) {
          assertTrue(at != null && now - at < ttl, "handled without a live mark: " + where);
        } else {
          assertFalse(at != null && now - at < ttl - slack, "a live mark not handled: " + where);
        }
      }
    }
  }
}
