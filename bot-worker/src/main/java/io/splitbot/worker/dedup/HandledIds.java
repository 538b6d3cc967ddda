package io.splitbot.worker.dedup;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Which ids of one update_id sequence (one platform's) were handled within the dedup window, in memory that follows
 * the gaps in the sequence, not the traffic. Telegram numbers a bot's updates one after another, so a low watermark
 * covers almost every handled id:
 *
 * <ul>
 *   <li><b>watermark</b>: every id below it is handled or a hole.</li>
 *   <li><b>above</b>: handled ids at or above the watermark, as runs. An id lands here while one below it is still in
 *   flight on another chat; marking the watermark's own id moves it up through the run that touches it.</li>
 *   <li><b>holes</b>: a gap that stays open for {@code grace} is taken for ids that will not come ({@code
 *   allowed_updates} filtering skips them) or a very slow update. The watermark moves past it and the gap is kept as a
 *   hole, 16 bytes a range, so an update arriving for it later is still not handled.</li>
 *   <li><b>late</b>: ids marked below the watermark (a hole's update after all, or an id of a new sequence after a
 *   quiet spell), as runs.</li>
 *   <li><b>regions</b>, for expiry: the ids below the watermark cut into stretches, each dated by its earliest mark.
 *   They drop off the front as they expire, and the holes under them go with them.</li>
 * </ul>
 *
 * <p><b>Expiry is early, never late.</b> Every date kept is the earliest mark of what it covers, so no id counts as
 * handled once the TTL has passed since it was marked. A region or late run takes new ids only while its date is at
 * most {@code spread} old, so an id may stop counting up to {@code spread} sooner (2 minutes of 24 h); a region spans
 * about {@code grace} of marking or more, so about TTL / grace of them are alive. Late would be the dangerous side:
 * after a week without updates Telegram picks the next id at random, and one below the watermark must not look
 * handled. When nothing is left in the window, the next mark restarts the watermark at its own id.
 *
 * <p>{@code grace} is a minute at the default window (TTL / 60 for shorter ones): longer than a handler run usually
 * takes (a Bot API call times out after 30 s), so gaps of updates in flight close before they become holes, and short
 * enough that {@code above} stays small. Guessing wrong costs one late run, never an update.
 *
 * <p>Only {@link #mark} changes the state, and the state is a function of the marks in order, so replaying the marks
 * rebuilds exactly the state that logged them. Single-threaded, like its caller.
 */
final class HandledIds {
  private final long ttl;
  private final long grace;
  private final long spread;
  private long watermark;
  /** The latest time the state was maintained at; times never run backwards past it. */
  private long clock = Long.MIN_VALUE;
  private final LongRows regions = new LongRows(2);
  private final LongRows holes = new LongRows(2);
  private final IdRuns above = new IdRuns((run, now) -> true);
  private final IdRuns late = new IdRuns((run, now) -> joinable(run.since, now));

  /** What the window holds, entry by entry; all of it is bounded by the gaps, not by the ids handled. */
  record Footprint(int regions, int holes, int above, int late) {
    int entries() {
      return regions + holes + above + late;
    }
  }

  HandledIds(long ttlSeconds) {
    this.ttl = ttlSeconds;
    this.grace = Math.max(1, Math.min(60, ttlSeconds / 60));
    this.spread = 2 * grace;
  }

  /** Whether {@code id} was marked less than the TTL before {@code now} (epoch seconds). Changes nothing. */
  boolean isHandled(long id, long now) {
    long at = Math.max(now, clock);
    IdRuns.Run lateRun = late.find(id);
    if (lateRun != null && fresh(lateRun.since, at)) {
      return true;
    }
    if (id >= watermark) {
      IdRuns.Run run = above.find(id);
      return run != null && fresh(run.since, at);
    }
    int region = regions.floor(id);
    return region >= 0 && fresh(regions.get(region, 1), at) && !inHole(id);
  }

  /** Records that {@code id} was handled at {@code at} (epoch seconds); once it is durable, in the order logged. */
  void mark(long id, long at) {
    long now = Math.max(at, clock);
    if (now > clock) {
      clock = now;
      settle(now);
      expire(now);
    }
    if (isHandled(id, now)) {
      return;
    }
    if (regions.isEmpty() && above.isEmpty()) {
      // Nothing below the watermark is alive: a new sequence (or the first id) starts here.
      watermark = id;
      holes.clear();
    }
    if (id == watermark) {
      advance(now);
    } else if (id > watermark) {
      above.add(id, now);
    } else {
      late.add(id, now);
    }
  }

  /** The latest time a mark was made at; a later mark never goes back past it. */
  long latest() {
    return clock;
  }

  Footprint footprint() {
    return new Footprint(regions.size(), holes.size(), above.size(), late.size());
  }

  /** The watermark's id was just marked: move past it and through the run above that touches it. */
  private void advance(long now) {
    long from = watermark;
    long since = now;
    watermark++;
    IdRuns.Run next = above.first();
    if (next != null && next.start == watermark) {
      above.remove(next);
      watermark = next.end + 1;
      since = Math.min(since, next.since);
    }
    cover(from, since, now);
  }

  /** Moves the watermark past every gap that has stayed open for {@code grace}, keeping each gap as a hole. */
  private void settle(long now) {
    IdRuns.Run highest = null;
    for (IdRuns.Run run : above) {
      // A gap below a run has been open at least since the run's first mark.
      if (now - run.since >= grace) {
        highest = run;
      }
    }
    if (highest == null) {
      return;
    }
    long from = watermark;
    long since = Long.MAX_VALUE;
    for (var it = above.iterator(); it.hasNext(); ) {
      IdRuns.Run run = it.next();
      if (run.start > highest.start) {
        break;
      }
      if (run.start > watermark) {
        holes.append(watermark, run.start - 1);
      }
      watermark = run.end + 1;
      since = Math.min(since, run.since);
      it.remove();
    }
    cover(from, since, now);
  }

  /** Ids from {@code from} up to the watermark were just covered; the earliest of their marks was at {@code since}. */
  private void cover(long from, long since, long now) {
    if (!regions.isEmpty()) {
      long joined = Math.min(regions.get(regions.size() - 1, 1), since);
      if (joinable(joined, now)) {
        regions.setLast(1, joined);
        return;
      }
    }
    regions.append(from, since);
  }

  private void expire(long now) {
    while (!regions.isEmpty() && !fresh(regions.get(0, 1), now)) {
      regions.dropFirst();
    }
    long floor = regions.isEmpty() ? watermark : regions.get(0, 0);
    while (!holes.isEmpty() && holes.get(0, 1) < floor) {
      holes.dropFirst();
    }
    late.removeIf(run -> !fresh(run.since, now));
  }

  private boolean inHole(long id) {
    int hole = holes.floor(id);
    return hole >= 0 && holes.get(hole, 1) >= id;
  }

  /** Marks dated together by the earliest of them lie at most {@code spread} apart. */
  private boolean joinable(long since, long now) {
    return now - since <= spread;
  }

  private boolean fresh(long since, long now) {
    return now - since < ttl;
  }

  /** The whole state, for a snapshot; {@link #read} takes it back. */
  void write(DataOutputStream out) throws IOException {
    out.writeLong(watermark);
    out.writeLong(clock);
    writeRows(out, regions);
    writeRows(out, holes);
    writeRuns(out, above);
    writeRuns(out, late);
  }

  /** The state {@link #write} saved; throws on a body that does not add up. */
  static HandledIds read(ByteBuffer in, long ttlSeconds) {
    HandledIds ids = new HandledIds(ttlSeconds);
    ids.watermark = in.getLong();
    ids.clock = in.getLong();
    readRows(in, ids.regions);
    readRows(in, ids.holes);
    readRuns(in, ids.above);
    readRuns(in, ids.late);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes left over");
    }
    return ids;
  }

  private static void writeRows(DataOutputStream out, LongRows rows) throws IOException {
    out.writeInt(rows.size());
    for (int row = 0; row < rows.size(); row++) {
      out.writeLong(rows.get(row, 0));
      out.writeLong(rows.get(row, 1));
    }
  }

  private static void readRows(ByteBuffer in, LongRows rows) {
    int count = count(in, 16);
    for (int row = 0; row < count; row++) {
      rows.append(in.getLong(), in.getLong());
    }
  }

  private static void writeRuns(DataOutputStream out, IdRuns runs) throws IOException {
    out.writeInt(runs.size());
    for (IdRuns.Run run : runs) {
      out.writeLong(run.start);
      out.writeLong(run.end);
      out.writeLong(run.since);
    }
  }

  private static void readRuns(ByteBuffer in, IdRuns runs) {
    int count = count(in, 24);
    for (int i = 0; i < count; i++) {
      runs.restore(in.getLong(), in.getLong(), in.getLong());
    }
  }

  private static int count(ByteBuffer in, int bytesEach) {
    int count = in.getInt();
    if (count < 0 || (long) count * bytesEach > in.remaining()) {
      throw new IllegalArgumentException("a count of " + count + " with " + in.remaining() + " bytes left");
    }
    return count;
  }
}
