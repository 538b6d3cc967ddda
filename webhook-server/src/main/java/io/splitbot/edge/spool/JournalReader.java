package io.splitbot.edge.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a spool journal at start-up and applies the damaged-record policy:
 *
 * <ul>
 *   <li>A bad record with no good record after it is a torn tail from an interrupted write (a crash before the
 *       batch's fsync, so nothing in it was acknowledged): one WARN line, and the caller truncates the file to
 *       {@link Replay#validEnd()}.
 *   <li>A bad record with a good record after it is real damage: one ERROR line naming the file, the offset and the
 *       bytes skipped, then reading resumes at the next good record (found by scanning for a valid header and CRC).
 *       Updates inside the skipped bytes are lost, so the caller keeps a copy of the damaged file.
 * </ul>
 */
final class JournalReader {

  private static final Logger log = LoggerFactory.getLogger(JournalReader.class);
  private static final int SCAN_CHUNK = 1024 * 1024;

  /** Live APPEND records (key → record), where the good data ends, and whether damage was skipped. */
  record Replay(Map<String, JournalRecord> live, long validEnd, long fileSize, boolean damagedMiddle) {
  }

  private record Attempt(JournalRecord record, String problem) {
  }

  private JournalReader() {
  }

  static Replay replay(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    Map<String, JournalRecord> live = new LinkedHashMap<>();
    boolean damagedMiddle = false;
    long pos = 0;
    while (pos < size) {
      Attempt attempt = readAt(channel, pos, size);
      if (attempt.record() != null) {
        JournalRecord record = attempt.record();
        if (record.type() == JournalRecord.APPEND) {
          live.put(record.key(), record);
        } else {
          live.remove(record.key());
        }
        pos += record.size();
        continue;
      }
      long next = findNextValid(channel, pos + 1, size);
      if (next < 0) {
        log.warn("spool journal {}: torn last record at byte offset {} ({}, {} bytes to the end of the file) from an"
            + " interrupted write; truncating the file to the last good record", file, pos, attempt.problem(), size - pos);
        return new Replay(live, pos, size, damagedMiddle);
      }
      log.error("spool journal {}: corrupt record at byte offset {} ({}) with good records after it; skipping {} bytes"
              + " to the next good record at offset {}. Updates stored in those bytes are lost from the spool",
          file, pos, attempt.problem(), next - pos, next);
      damagedMiddle = true;
      pos = next;
    }
    return new Replay(live, size, size, damagedMiddle);
  }

  private static Attempt readAt(FileChannel channel, long pos, long size) throws IOException {
    if (size - pos < JournalRecord.HEADER) {
      return new Attempt(null, "short header");
    }
    ByteBuffer header = ByteBuffer.allocate(JournalRecord.HEADER);
    readFully(channel, header, pos);
    header.flip();
    int length = header.getInt();
    int crc = header.getInt();
    byte type = header.get();
    if (!JournalRecord.plausibleHeader(length, type)) {
      return new Attempt(null, "bad header: type " + type + ", length " + length);
    }
    if (pos + JournalRecord.HEADER + length > size) {
      return new Attempt(null, "short record: " + length + " payload bytes announced");
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    readFully(channel, payload, pos + JournalRecord.HEADER);
    try {
      return new Attempt(JournalRecord.decode(length, crc, type, payload.array()), null);
    } catch (IllegalArgumentException e) {
      return new Attempt(null, e.getMessage());
    }
  }

  /** The offset of the first good record at or after {@code from}, or -1 when there is none. */
  private static long findNextValid(FileChannel channel, long from, long size) throws IOException {
    // A chunk plus enough overlap to see the header and first payload byte of a record starting at its end.
    ByteBuffer window = ByteBuffer.allocate(SCAN_CHUNK + JournalRecord.HEADER + 1);
    for (long base = from; base + JournalRecord.HEADER <= size; base += SCAN_CHUNK) {
      window.clear();
      window.limit((int) Math.min(window.capacity(), size - base));
      readFully(channel, window, base);
      int n = window.position();
      for (int i = 0; i < SCAN_CHUNK && i + JournalRecord.HEADER <= n; i++) {
        int length = window.getInt(i);
        byte type = window.get(i + 8);
        if (!JournalRecord.plausibleHeader(length, type)) {
          continue;
        }
        // JSON payloads start with '{'; a cheap filter before reading the payload for the CRC.
        if (type == JournalRecord.APPEND && i + JournalRecord.HEADER < n && window.get(i + JournalRecord.HEADER) != '{') {
          continue;
        }
        if (readAt(channel, base + i, size).record() != null) {
          return base + i;
        }
      }
    }
    return -1;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long pos) throws IOException {
    long at = pos;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new EOFException("unexpected end of journal at byte " + at);
      }
      at += read;
    }
  }
}
