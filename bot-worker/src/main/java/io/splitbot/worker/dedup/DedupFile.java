package io.splitbot.worker.dedup;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.zip.CRC32;

/**
 * The layout of {@code dedup.bin}, big-endian throughout: an optional snapshot, then marks.
 *
 * <pre>
 *   snapshot := MAGIC (8) | body length (4) | CRC-32 of the body (4) | body ({@link HandledIds#write})
 *   mark     := update_id (8) | handled-at epoch second (8)
 * </pre>
 *
 * <p>A mark is the record earlier versions wrote, and a file of marks alone is what they left, so such a file loads
 * as it is. A snapshot is only ever written whole (temp file, fsync, rename), so damage to it is not a crash: the
 * file is refused and left untouched. A crash can tear the last mark only; it is shorter than 16 bytes and dropped.
 * MAGIC starts with 0xFF, so no positive update_id reads as one.
 */
final class DedupFile {
  static final int MARK = 16;
  private static final int HEADER = 16;
  private static final long MAGIC = 0xFF53_4244_4544_0001L;

  /** One handled update, as logged. */
  record Mark(long updateId, long at) {
  }

  /** The state a file holds; {@code marks} were replayed after the snapshot of {@code snapshotBytes}. */
  record Loaded(HandledIds ids, int snapshotBytes, int marks, int tornBytes) {
  }

  private DedupFile() {
  }

  static byte[] mark(Mark mark) {
    return ByteBuffer.allocate(MARK).putLong(mark.updateId()).putLong(mark.at()).array();
  }

  /** The state, then the marks still being written: those land in the old file, which this replaces. */
  static byte[] snapshot(HandledIds ids, Collection<Mark> pending) {
    try {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      ids.write(new DataOutputStream(body));
      byte[] bytes = body.toByteArray();
      CRC32 crc = new CRC32();
      crc.update(bytes);
      ByteBuffer out = ByteBuffer.allocate(HEADER + bytes.length + pending.size() * MARK);
      out.putLong(MAGIC).putInt(bytes.length).putInt((int) crc.getValue()).put(bytes);
      pending.forEach(mark -> out.putLong(mark.updateId()).putLong(mark.at()));
      return out.array();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Loaded read(byte[] bytes, long ttlSeconds, Path path) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    HandledIds ids = new HandledIds(ttlSeconds);
    int snapshotBytes = 0;
    if (bytes.length >= 8 && in.getLong(0) == MAGIC) {
      ids = snapshot(in, ttlSeconds, path);
      snapshotBytes = in.position();
    }
    int marks = in.remaining() / MARK;
    long[] updateIds = new long[marks];
    long[] ats = new long[marks];
    for (int i = 0; i < marks; i++) {
      updateIds[i] = in.getLong();
      ats[i] = in.getLong();
    }
    for (int i : timeOrder(ats)) {
      ids.mark(updateIds[i], ats[i]);
    }
    return new Loaded(ids, snapshotBytes, marks, in.remaining());
  }

  private static HandledIds snapshot(ByteBuffer in, long ttlSeconds, Path path) throws IOException {
    try {
      in.position(8);
      int length = in.getInt();
      int crc = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("its body of " + length + " bytes is longer than the file");
      }
      CRC32 actual = new CRC32();
      actual.update(in.array(), HEADER, length);
      if ((int) actual.getValue() != crc) {
        throw new IllegalArgumentException("its checksum does not match");
      }
      HandledIds ids = HandledIds.read(ByteBuffer.wrap(in.array(), HEADER, length).slice(), ttlSeconds);
      in.position(HEADER + length);
      return ids;
    } catch (IllegalArgumentException | BufferUnderflowException e) {
      throw new IOException("dedup file " + path + " has a damaged snapshot (" + e.getMessage()
          + "); left untouched. Move it away to start with an empty dedup window.", e);
    }
  }

  /**
   * The order to replay marks in: as logged, unless their times say otherwise. Earlier versions compacted the file
   * from a hash map, out of time order; sorting by time (then position) puts those marks back in the order made.
   */
  private static int[] timeOrder(long[] ats) {
    int[] order = new int[ats.length];
    boolean sorted = true;
    for (int i = 0; i < ats.length; i++) {
      order[i] = i;
      sorted &= i == 0 || ats[i] >= ats[i - 1];
    }
    if (sorted) {
      return order;
    }
    long earliest = Arrays.stream(ats).min().orElse(0);
    long[] keys = new long[ats.length];
    for (int i = 0; i < ats.length; i++) {
      keys[i] = Math.min(ats[i] - earliest, Integer.MAX_VALUE) << 32 | i;
    }
    Arrays.sort(keys);
    for (int i = 0; i < keys.length; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }
}
