package io.splitbot.edge.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An append record writes the very buffer the body arrived in, and reads back as the same envelope. */
class JournalRecordTest {
  private static final String BODY = "{\"update_id\":7,\"message\":{\"chat\":{\"id\":5},\"text\":\"\\\"quoted\\\" ünïcode\"}}";

  @Test
  void theBodysOwnBufferIsWhatIsWrittenNotACopy() {
    Buffer raw = Buffer.buffer(BODY);
    JournalRecord record = JournalRecord.append(envelope(raw, UpdateEnvelope.ROUTE_WORKER));
    List<ByteBuffer> pieces = new ArrayList<>();
    record.writeTo(pieces);

    assertEquals(2, pieces.size(), "the header and fields, then the body");
    ByteBuffer body = pieces.get(1);
    assertSame(((BufferInternal) raw).getByteBuf().array(), body.array(), "the body piece is a view of the body's bytes");
    assertEquals(raw.length(), body.remaining());
    // Writing does not consume the record: a second write (compaction) gets fresh views.
    pieces.get(1).position(pieces.get(1).limit());
    List<ByteBuffer> again = new ArrayList<>();
    record.writeTo(again);
    assertEquals(raw.length(), again.get(1).remaining());
  }

  @Test
  void theBytesOnDiskHoldTheBodyVerbatimAndDecodeToTheSameEnvelope() {
    for (String route : List.of(UpdateEnvelope.ROUTE_WORKER, UpdateEnvelope.ROUTE_LEGACY)) {
      UpdateEnvelope envelope = envelope(Buffer.buffer(BODY), route);
      byte[] frame = bytes(JournalRecord.append(envelope));
      byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(body, Arrays.copyOfRange(frame, frame.length - body.length, frame.length),
          "the body ends the record as it arrived, not escaped into a JSON string");

      ByteBuffer in = ByteBuffer.wrap(frame);
      int length = in.getInt();
      int crc = in.getInt();
      byte type = in.get();
      JournalRecord decoded = JournalRecord.decode(length, crc, type, Arrays.copyOfRange(frame, JournalRecord.HEADER, frame.length));
      assertEquals(JournalRecord.APPEND, decoded.type());
      assertEquals(envelope, decoded.envelope());
      assertEquals(BODY, decoded.envelope().raw());
      assertEquals(route, decoded.envelope().route());
    }
  }

  @Test
  void aFlippedBodyByteFailsTheCrc() {
    byte[] frame = bytes(JournalRecord.append(envelope(Buffer.buffer(BODY), UpdateEnvelope.ROUTE_WORKER)));
    frame[frame.length - 3] ^= 1;
    ByteBuffer in = ByteBuffer.wrap(frame);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JournalRecord.decode(in.getInt(),
        in.getInt(), in.get(), Arrays.copyOfRange(frame, JournalRecord.HEADER, frame.length)));
    assertEquals("CRC mismatch", e.getMessage());
  }

  private static UpdateEnvelope envelope(Buffer raw, String route) {
    return UpdateEnvelope.ofBytes(UpdateEnvelope.TELEGRAM, "7", "5", 7, raw, route);
  }

  private static byte[] bytes(JournalRecord record) {
    List<ByteBuffer> pieces = new ArrayList<>();
    record.writeTo(pieces);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (ByteBuffer piece : pieces) {
      byte[] b = new byte[piece.remaining()];
      piece.get(b);
      out.writeBytes(b);
    }
    assertEquals(record.size(), out.size());
    return out.toByteArray();
  }
}
