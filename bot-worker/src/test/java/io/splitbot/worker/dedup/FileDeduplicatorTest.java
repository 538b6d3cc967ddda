package io.splitbot.worker.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.splitbot.worker.dedup.DedupFile.Mark;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded dedup on disk: what a reopen, a crash in the middle of a write and a file of an earlier version leave. */
class FileDeduplicatorTest {
  static final long DAY = 86_400;
  static final long T0 = 1_700_000_000;
  static Vertx vertx;

  @TempDir
  Path dir;
  final AtomicLong clock = new AtomicLong(T0);
  OnLoop loop;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void context() {
    loop = new OnLoop(vertx);
  }

  FileDeduplicator open() {
    return FileDeduplicator.open(vertx, dir, DAY, clock::get).await();
  }

  void close(FileDeduplicator dedup) {
    loop.await(dedup::close);
  }

  Path file() {
    return dir.resolve("dedup.bin");
  }

  @Test
  void keysThatAreNotUpdateIdsAreKeptApartSurviveAReopenATornLineAndExpire() throws IOException {
    FileDeduplicator dedup = open();
    loop.await(() -> dedup.markHandled("max:mid.0000000000000005"));
    loop.await(() -> dedup.markHandled("5"));
    assertTrue(loop.await(() -> dedup.isHandled("max:mid.0000000000000005")));
    assertFalse(loop.await(() -> dedup.isHandled("max:mid.0000000000000006")), "another MAX key");
    assertFalse(loop.await(() -> dedup.isHandled("max:5")), "MAX's 5 is not Telegram's 5");
    close(dedup);
    // a crash tore the next line: it is dropped, and the file takes marks again
    Files.write(dir.resolve("dedup-keys.log"), "1700000001 max%3Amid.torn".getBytes(), java.nio.file.StandardOpenOption.APPEND);

    FileDeduplicator reopened = open();
    assertTrue(loop.await(() -> reopened.isHandled("max:mid.0000000000000005")), "on disk");
    assertTrue(loop.await(() -> reopened.isHandled("5")));
    assertFalse(loop.await(() -> reopened.isHandled("max:mid.torn")));
    loop.await(() -> reopened.markHandled("max:callback:c1:1"));
    close(reopened);

    FileDeduplicator again = open();
    assertTrue(loop.await(() -> again.isHandled("max:callback:c1:1")), "a mark after the torn line reads back");
    clock.addAndGet(DAY + 1);
    assertFalse(loop.await(() -> again.isHandled("max:mid.0000000000000005")), "expired after the window");
    close(again);
  }

  @Test
  void aMarkIsHandledOnceOnDiskAndStillAfterAReopen() {
    FileDeduplicator dedup = open();
    assertFalse(loop.isHandled(dedup, 100));
    loop.mark(dedup, LongStream.of(100, 102));
    assertTrue(loop.isHandled(dedup, 100));
    assertFalse(loop.isHandled(dedup, 101));
    assertTrue(loop.isHandled(dedup, 102));
    close(dedup);

    FileDeduplicator reopened = open();
    assertTrue(loop.isHandled(reopened, 100));
    assertFalse(loop.isHandled(reopened, 101));
    assertTrue(loop.isHandled(reopened, 102));
    close(reopened);
  }

  @Test
  void aMarkExpiresAfterTheTtlAlsoAfterAReopen() {
    FileDeduplicator dedup = open();
    loop.mark(dedup, LongStream.of(100));
    clock.set(T0 + DAY - 1);
    assertTrue(loop.isHandled(dedup, 100));
    clock.set(T0 + DAY);
    assertFalse(loop.isHandled(dedup, 100));
    close(dedup);

    FileDeduplicator reopened = open();
    assertFalse(loop.isHandled(reopened, 100));
    loop.mark(reopened, LongStream.of(100));
    assertTrue(loop.isHandled(reopened, 100), "marked again, it counts again");
    close(reopened);
  }

  /**
   * 90,000 updates the way Telegram numbers them: out of order, some late past the grace, some never. On the way the
   * file is compacted into a snapshot; every answer after a reopen is the answer before it, now and a day on.
   */
  @Test
  void aReopenAnswersExactlyAsBefore() {
    FileDeduplicator dedup = open();
    Random random = new Random(9);
    List<Long> late = new ArrayList<>();
    long first = 1_000;
    long next = first;
    for (int round = 0; round < 90; round++) {
      List<Long> now = new ArrayList<>();
      for (int i = 0; i < 1_000; i++, next++) {
        if (next % 997 == 0) {
          continue;
        }
        (next % 101 == 0 ? late : now).add(next);
      }
      if (round % 10 == 9) {
        now.addAll(late);
        late.clear();
      }
      Collections.shuffle(now, random);
      loop.mark(dedup, now.stream().mapToLong(Long::longValue));
      clock.addAndGet(20);
    }
    assertEquals((byte) 0xFF, bytes()[0], "compacted into a snapshot on the way");
    assertTrue(dedup.footprint().holes() > 50, dedup.footprint().toString());

    long end = clock.get();
    List<List<Boolean>> before = answersOverADay(dedup, first - 10, next + 10, end);
    close(dedup);
    clock.set(end);
    FileDeduplicator reopened = open();
    assertEquals(before, answersOverADay(reopened, first - 10, next + 10, end));
    close(reopened);
  }

  private List<List<Boolean>> answersOverADay(FileDeduplicator dedup, long from, long to, long now) {
    List<List<Boolean>> answers = new ArrayList<>();
    for (long later : new long[] {0, 60, DAY / 2, DAY - 1_900, DAY - 1_000, DAY}) {
      clock.set(now + later);
      answers.add(loop.answers(dedup, from, to));
    }
    return answers;
  }

  @Test
  void aTornLastRecordIsDroppedAtEveryByteAndTheNextMarkLandsWhole() throws IOException {
    HandledIds state = new HandledIds(DAY);
    LongStream.of(1, 2, 3, 5).forEach(id -> state.mark(id, T0 - 100));
    byte[] snapshotThenMarks = concat(DedupFile.snapshot(state, List.of(new Mark(6, T0 - 50))), record(7, T0 - 10));
    byte[] marksOnly = concat(record(1, T0 - 100), record(2, T0 - 100), record(3, T0 - 100), record(5, T0 - 100),
        record(6, T0 - 50), record(7, T0 - 10));
    for (byte[] whole : List.of(snapshotThenMarks, marksOnly)) {
      for (int written = 1; written < DedupFile.MARK; written++) {
        String where = (whole == marksOnly ? "marks only" : "snapshot") + ", " + written + " bytes of the last record";
        Files.write(file(), Arrays.copyOf(whole, whole.length - DedupFile.MARK + written));
        FileDeduplicator dedup = open();
        assertEquals(List.of(true, true, true, false, true, true, false, false), loop.answers(dedup, 1, 8), where);
        loop.mark(dedup, LongStream.of(8));
        close(dedup);

        assertEquals(whole.length, Files.size(file()), where + ": the torn bytes are cut, the new mark is whole");
        FileDeduplicator reopened = open();
        assertEquals(List.of(true, true, true, false, true, true, false, true), loop.answers(reopened, 1, 8), where);
        close(reopened);
      }
    }
  }

  /**
   * Earlier versions wrote marks alone and compacted them in hash order. 70,000 of them, a third already expired,
   * load as they were, and the next compaction turns the file into a small snapshot that answers the same.
   */
  @Test
  void aFileOfAnEarlierVersionLoadsAndIsRewrittenSmall() throws IOException {
    List<byte[]> records = new ArrayList<>();
    for (long id = 1; id <= 70_000; id++) {
      if (id % 1_000 != 7) {
        long at = id <= 20_000 ? T0 - 2 * DAY + id : T0 - DAY + 1_000 + (id - 20_000);
        records.add(record(id, at));
      }
    }
    Collections.shuffle(records, new Random(1));
    Files.write(file(), concat(concat(records.toArray(byte[][]::new)), new byte[7]));

    FileDeduplicator dedup = open();
    List<Boolean> loaded = loop.answers(dedup, 0, 70_010);
    for (int id = 0; id <= 70_010; id++) {
      boolean expected = id > 20_000 && id <= 70_000 && id % 1_000 != 7;
      assertEquals(expected, loaded.get(id), "id " + id);
    }
    loop.mark(dedup, LongStream.of(70_001));
    close(dedup);

    assertEquals((byte) 0xFF, bytes()[0]);
    assertTrue(Files.size(file()) < 8_192, "rewritten as a snapshot of " + Files.size(file()) + " bytes");
    FileDeduplicator reopened = open();
    List<Boolean> after = new ArrayList<>(loop.answers(reopened, 0, 70_010));
    assertEquals(true, after.set(70_001, false));
    assertEquals(loaded, after);
    close(reopened);
  }

  @Test
  void aDamagedSnapshotStopsTheStartAndIsLeftUntouched() throws IOException {
    HandledIds state = new HandledIds(DAY);
    LongStream.rangeClosed(1, 10).forEach(id -> state.mark(id, T0));
    byte[] damaged = DedupFile.snapshot(state, List.of());
    damaged[20] ^= 1;
    Files.write(file(), damaged);

    CompletionException e = assertThrows(CompletionException.class,
        () -> FileDeduplicator.open(vertx, dir, DAY, clock::get).toCompletionStage().toCompletableFuture().join());
    assertInstanceOf(IOException.class, e.getCause());
    assertTrue(e.getCause().getMessage().contains("damaged snapshot"), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains(file().toString()), e.getCause().getMessage());
    assertArrayEquals(damaged, bytes());
  }

  private byte[] bytes() {
    try {
      return Files.readAllBytes(file());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A mark as both versions write it: update_id, handled-at epoch second. */
  static byte[] record(long id, long at) {
    return ByteBuffer.allocate(16).putLong(id).putLong(at).array();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
