package io.splitbot.edge.spool;

import static io.splitbot.edge.spool.SpoolTesting.await;
import static io.splitbot.edge.spool.SpoolTesting.failure;
import static io.splitbot.edge.spool.SpoolTesting.ids;
import static io.splitbot.edge.spool.SpoolTesting.open;
import static io.splitbot.edge.spool.SpoolTesting.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import io.splitbot.edge.spool.Spool.Appended;
import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class FileSpoolTest {

  @TempDir
  Path dir;

  private final List<Spool> opened = new ArrayList<>();

  @AfterEach
  void closeAll() throws Throwable {
    for (Spool spool : opened) {
      await(spool.close());
    }
  }

  private FileSpool spool(Vertx vertx, int max) {
    return spool(vertx, max, FileSpool.DEFAULT_COMPACT_DEAD_BYTES);
  }

  private FileSpool spool(Vertx vertx, int max, long compactDeadBytes) {
    FileSpool spool = new FileSpool(vertx, dir, max, compactDeadBytes);
    opened.add(spool);
    return spool;
  }

  private Path journal() {
    return dir.resolve(FileSpool.JOURNAL);
  }

  @Test
  void reopenReturnsWhatIsStillHeldInUpdateIdOrder(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 100);
    assertEquals(List.of(), open(spool));
    for (long id : new long[] {105, 101, 104, 102, 103}) {
      assertEquals(Appended.STORED, await(spool.append(update(id))));
    }
    await(spool.remove(update(102)));
    await(spool.remove(update(999))); // unknown: a no-op
    assertEquals(4, spool.size());
    await(spool.close());

    FileSpool reopened = spool(vertx, 100);
    List<UpdateEnvelope> held = open(reopened);
    assertEquals(List.of(101L, 103L, 104L, 105L), ids(held));
    assertEquals(update(104), held.get(2));
    assertEquals(4, reopened.size());
  }

  @Test
  void eachAppendFeedsItsUpdateOnceDurableAndARedeliveryFeedsItAgain(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 100);
    Fed fed = new Fed();
    await(spool.open(fed));
    assertEquals(Appended.STORED, await(spool.append(update(1))));
    SpoolTesting.awaitTrue("update 1 fed", () -> fed.updates().equals(List.of(update(1))));
    // A redelivery whose first append timed out must still reach the forwarder, which ignores one it holds.
    assertEquals(Appended.ALREADY_SPOOLED, await(spool.append(update(1))));
    SpoolTesting.awaitTrue("update 1 fed again", () -> fed.updates().equals(List.of(update(1), update(1))));
    assertEquals(null, fed.submitted().get(0).fence(), "one edge's disk has no partitions");
  }

  @Test
  void duplicateIdIsAlreadySpooledAndWritesNothing(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 100);
    open(spool);
    // The second copy arrives while the first is still in the writer's queue.
    Future<Appended> first = spool.append(update(7));
    Future<Appended> second = spool.append(update(7));
    assertEquals(Appended.STORED, await(first));
    assertEquals(Appended.ALREADY_SPOOLED, await(second));
    long size = Files.size(journal());
    assertEquals(Appended.ALREADY_SPOOLED, await(spool.append(update(7))));
    assertEquals(size, Files.size(journal()));
    assertEquals(1, spool.size());
  }

  @Test
  void fullSpoolRefusesWithoutWritingAndRecoversAfterRemoves(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 3);
    open(spool);
    for (long id = 1; id <= 3; id++) {
      await(spool.append(update(id)));
    }
    long size = Files.size(journal());
    assertInstanceOf(SpoolFullException.class, failure(spool.append(update(4))));
    assertEquals(size, Files.size(journal()));
    // A held id is still answered while full: Telegram redelivers what it already gave us.
    assertEquals(Appended.ALREADY_SPOOLED, await(spool.append(update(3))));

    await(spool.remove(update(1)));
    assertEquals(Appended.STORED, await(spool.append(update(4))));
    assertEquals(3, spool.size());
  }

  @Test
  void concurrentAppendsShareFsyncs(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 1000);
    open(spool);
    long before = spool.fsyncCount();
    // Hold the writer while the burst arrives, as a slow fsync would: the whole burst becomes one batch.
    CountDownLatch resume = new CountDownLatch(1);
    spool.pauseWriter(resume);
    Promise<List<Future<Appended>>> issued = Promise.promise();
    vertx.runOnContext(v -> issued.complete(
        LongStream.rangeClosed(1, 200).mapToObj(id -> spool.append(update(id))).toList()));
    List<Future<Appended>> appends = await(issued.future());
    assertTrue(appends.stream().noneMatch(Future::isComplete), "nothing is acked before its fsync");
    resume.countDown();
    await(Future.all(appends));
    appends.forEach(append -> assertEquals(Appended.STORED, append.result()));
    assertEquals(1, spool.fsyncCount() - before);

    await(spool.close());

    assertEquals(LongStream.rangeClosed(1, 200).boxed().toList(), ids(open(spool(vertx, 1000))));
  }

  @Test
  void tornLastRecordIsDroppedWithOneWarningAndTheJournalStaysUsable(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 100);
    open(spool);
    for (long id = 1; id <= 10; id++) {
      await(spool.append(update(id)));
    }
    await(spool.close());
    long full = Files.size(journal());
    long lastRecord = JournalRecord.append(update(10)).size();
    truncate(journal(), full - lastRecord / 2); // cut the last record in its middle

    try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(JournalReader.class)) {
      FileSpool reopened = spool(vertx, 100);
      assertEquals(LongStream.rangeClosed(1, 9).boxed().toList(), ids(open(reopened)));
      List<String> warnings = log.lines(Level.WARN);
      assertEquals(1, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains(journal().toString()), warnings.get(0));
      assertTrue(warnings.get(0).contains("offset " + (full - lastRecord)), warnings.get(0));
      assertEquals(full - lastRecord, Files.size(journal()));

      assertEquals(Appended.STORED, await(reopened.append(update(11))));
      await(reopened.remove(update(5)));
      await(reopened.close());
      assertEquals(List.of(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 11L), ids(open(spool(vertx, 100))));
      assertEquals(1, log.lines(Level.WARN).size());
      assertEquals(List.of(), log.lines(Level.ERROR));
    }
  }

  @Test
  void corruptRecordInTheMiddleIsSkippedLoudlyAndTheRestIsKept(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 100);
    open(spool);
    for (long id = 1; id <= 5; id++) {
      await(spool.append(update(id)));
    }
    await(spool.close());
    long recordSize = JournalRecord.append(update(1)).size();
    long third = 2 * recordSize; // all five records have the same size
    flipByte(journal(), third + JournalRecord.HEADER + 10);

    try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(JournalReader.class)) {
      FileSpool reopened = spool(vertx, 100);
      assertEquals(List.of(1L, 2L, 4L, 5L), ids(open(reopened)));
      List<String> errors = log.lines(Level.ERROR);
      assertEquals(1, errors.size(), errors.toString());
      assertTrue(errors.get(0).contains(journal().toString()) && errors.get(0).contains("offset " + third), errors.get(0));
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith(FileSpool.JOURNAL + ".damaged-")).count());
      }
      await(reopened.append(update(6)));
      await(reopened.close());
      // The journal was rewritten clean: no second error on the next start.
      assertEquals(List.of(1L, 2L, 4L, 5L, 6L), ids(open(spool(vertx, 100))));
      assertEquals(1, log.lines(Level.ERROR).size());
    }
  }

  @Test
  void compactionKeepsExactlyTheLiveRecordsAndShrinksTheFile(Vertx vertx) throws Throwable {
    FileSpool spool = spool(vertx, 1000, 4096);
    open(spool);
    for (long id = 1; id <= 100; id++) {
      await(spool.append(update(id)));
    }
    long grown = Files.size(journal());
    // The removes go out as one batch, so the compaction runs once, after all of them: otherwise it could run after
    // the first few, and the later removes would stay in the new file as records of their own.
    CountDownLatch resume = new CountDownLatch(1);
    spool.pauseWriter(resume);
    List<Future<Void>> removes = new ArrayList<>();
    for (long id = 1; id <= 100; id++) {
      if (id % 20 != 0) {
        removes.add(spool.remove(update(id)));
      }
    }
    resume.countDown();
    // Appends racing with the compaction must land in the new file (in the batch before it, or in the new file).
    List<Future<Appended>> late = LongStream.rangeClosed(101, 103).mapToObj(id -> spool.append(update(id))).toList();
    await(Future.all(removes));
    await(Future.all(late));
    await(spool.close());

    long compacted = Files.size(journal());
    assertTrue(compacted < grown / 4, "journal is " + compacted + " bytes, was " + grown);
    assertEquals(List.of(20L, 40L, 60L, 80L, 100L, 101L, 102L, 103L), ids(open(spool(vertx, 1000))));
    assertTrue(Files.notExists(dir.resolve(FileSpool.JOURNAL + ".compact")));
  }

  @Test
  void secondSpoolOnTheSameDirectoryIsRefused(Vertx vertx) throws Throwable {
    open(spool(vertx, 10));
    Throwable refused = failure(spool(vertx, 10).open(new Fed()));
    assertTrue(refused.getMessage().contains("already uses " + dir), refused.getMessage());
  }

  /** Needs root to mount a tiny tmpfs; skipped elsewhere. */
  @Test
  void fullDiskFailsAppendsAndTheSpoolRecovers(Vertx vertx) throws Throwable {
    Path mount = dir.resolve("tiny");
    Files.createDirectories(mount);
    assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()), "cannot mount a tmpfs here");
    FileSpool spool = new FileSpool(vertx, mount.resolve("spool"), 100);
    try {
      open(spool);
      assertEquals(Appended.STORED, await(spool.append(big(1))));
      Path filler = mount.resolve("filler");
      fill(filler);

      // Larger than a page, so it cannot fit in the journal's last, partly used page.
      Throwable refused = failure(spool.append(big(2)));
      assertInstanceOf(IOException.class, refused);
      assertEquals(1, spool.size());

      Files.delete(filler);
      assertEquals(Appended.STORED, await(spool.append(big(3))));
      await(spool.remove(update(1)));
      await(spool.close());
      spool = new FileSpool(vertx, mount.resolve("spool"), 100);
      try (SpoolTesting.LogCapture log = new SpoolTesting.LogCapture(JournalReader.class)) {
        assertEquals(List.of(big(3)), open(spool));
        assertEquals(List.of(), log.lines(Level.WARN), "the failed write left nothing behind");
      }
    } finally {
      await(spool.close()); // release the files, or the unmount is refused
      if (!run("umount", mount.toString())) {
        run("umount", "-l", mount.toString());
      }
    }
  }

  private static UpdateEnvelope big(long id) {
    return new UpdateEnvelope(UpdateEnvelope.TELEGRAM, Long.toString(id), "telegram:1", id,
        "{\"update_id\":" + id + ",\"message\":{\"text\":\"" + "x".repeat(16 * 1024) + "\"}}");
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
      channel.write(one, offset);
    }
  }

  private static void fill(Path filler) {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException expected) {
      // No space left on device: the disk is full now.
    }
  }

  private static boolean run(String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }
}
