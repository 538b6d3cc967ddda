package io.splitbot.edge.spool;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The byte format of one journal record:
 *
 * <pre>
 *   [int payload length][int CRC32 of type byte + payload][byte type][payload]      (big-endian)
 *   APPEND_BYTES (4): payload = [byte route: 1 legacy, 0 worker][short n][platform][short n][dedup key]
 *                               [short n][chat key][long order][the raw body, as received]     (strings in UTF-8)
 *   APPEND (1):       payload = the envelope's JSON in UTF-8 (written before APPEND_BYTES; still read)
 *   REMOVE (2):       payload = a Telegram update_id as an 8-byte long (written before platforms; still read)
 *   REMOVE_KEY (3):   payload = the update's key ({@link UpdateEnvelope#key()}) in UTF-8
 * </pre>
 *
 * The CRC covers the type too, so a flipped type byte is caught as well as a torn payload. An append is written as
 * two pieces: its header and fields ({@code head}), then the very buffer the body arrived in ({@code body}), so the
 * body is neither re-encoded nor copied on the Java heap on its way to the disk.
 *
 * <p>{@link #type()} is what the record means, {@link #APPEND} or {@link #REMOVE}, whichever format it was read in.
 */
record JournalRecord(byte type, String key, UpdateEnvelope envelope, byte[] head, ByteBuffer body) {

  static final int HEADER = 9;
  static final byte APPEND = 1;
  static final byte REMOVE_ID = 2;
  static final byte REMOVE = 3;
  static final byte APPEND_BYTES = 4;
  /** Far above any platform's key. */
  static final int MAX_KEY = 1024;
  /** Far above the webhook body limit; a larger length can only be a damaged header. */
  static final int MAX_PAYLOAD = 32 * 1024 * 1024;
  private static final int FIELDS_FIXED = 1 + 3 * Short.BYTES + Long.BYTES;

  static JournalRecord append(UpdateEnvelope envelope) {
    byte[] platform = utf8(envelope.platform(), "platform");
    byte[] dedupKey = utf8(envelope.dedupKey(), "dedup key");
    byte[] chatKey = utf8(envelope.chatKey(), "chat key");
    ByteBuffer body = envelope.rawBytes() == null ? ByteBuffer.allocate(0) : nio(envelope.rawBytes());
    int fields = FIELDS_FIXED + platform.length + dedupKey.length + chatKey.length;
    long payload = (long) fields + body.remaining();
    if (payload > MAX_PAYLOAD) {
      throw new IllegalArgumentException("update " + envelope.key() + " is too large for the spool (" + payload + " bytes)");
    }
    ByteBuffer head = ByteBuffer.allocate(HEADER + fields);
    head.position(HEADER);
    head.put((byte) (envelope.forLegacy() ? 1 : 0));
    putString(head, platform);
    putString(head, dedupKey);
    putString(head, chatKey);
    head.putLong(envelope.order());
    CRC32 crc = new CRC32();
    crc.update(APPEND_BYTES);
    crc.update(head.array(), HEADER, fields);
    crc.update(body.duplicate());
    head.putInt(0, (int) payload).putInt(4, (int) crc.getValue()).put(8, APPEND_BYTES);
    return new JournalRecord(APPEND, envelope.key(), envelope, head.array(), body);
  }

  static JournalRecord remove(String key) {
    byte[] payload = key.getBytes(StandardCharsets.UTF_8);
    if (payload.length == 0 || payload.length > MAX_KEY) {
      throw new IllegalArgumentException("an update key must be 1 to " + MAX_KEY + " bytes");
    }
    return new JournalRecord(REMOVE, key, null, frame(REMOVE, payload), null);
  }

  int size() {
    return head.length + (body == null ? 0 : body.remaining());
  }

  /** Adds the record's bytes, in order, to a gathering write; the views are fresh, the record is unchanged. */
  void writeTo(List<ByteBuffer> out) {
    out.add(ByteBuffer.wrap(head));
    if (body != null) {
      out.add(body.duplicate());
    }
  }

  /** True when a header with this length and type could start a record (a cheap filter before the CRC check). */
  static boolean plausibleHeader(int length, byte type) {
    return switch (type) {
      case APPEND -> length > 0 && length <= MAX_PAYLOAD;
      case APPEND_BYTES -> length >= FIELDS_FIXED && length <= MAX_PAYLOAD;
      case REMOVE_ID -> length == Long.BYTES;
      case REMOVE -> length > 0 && length <= MAX_KEY;
      default -> false;
    };
  }

  /**
   * Decodes a record whose header and payload have been read, or throws {@link IllegalArgumentException} saying
   * what is wrong with it.
   */
  static JournalRecord decode(int length, int crc, byte type, byte[] payload) {
    if (!plausibleHeader(length, type)) {
      throw new IllegalArgumentException("bad header (type " + type + ", length " + length + ")");
    }
    if (crc != crc(type, payload)) {
      throw new IllegalArgumentException("CRC mismatch");
    }
    byte[] bytes = frame(type, payload);
    if (type == REMOVE_ID) {
      // Its key is the bare update_id, as a Telegram envelope's key still is.
      return new JournalRecord(REMOVE, Long.toString(ByteBuffer.wrap(payload).getLong()), null, bytes, null);
    }
    if (type == REMOVE) {
      return new JournalRecord(REMOVE, new String(payload, StandardCharsets.UTF_8), null, bytes, null);
    }
    try {
      UpdateEnvelope envelope = type == APPEND_BYTES
          ? fields(payload)
          : UpdateEnvelope.fromJson(new JsonObject(new String(payload, StandardCharsets.UTF_8)));
      return new JournalRecord(APPEND, envelope.key(), envelope, bytes, null);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("CRC is right but the envelope does not decode: " + e.getMessage());
    }
  }

  private static UpdateEnvelope fields(byte[] payload) {
    ByteBuffer in = ByteBuffer.wrap(payload);
    String route = in.get() == 1 ? UpdateEnvelope.ROUTE_LEGACY : UpdateEnvelope.ROUTE_WORKER;
    String platform = getString(in);
    String dedupKey = getString(in);
    String chatKey = getString(in);
    long order = in.getLong();
    Buffer raw = Buffer.buffer(java.util.Arrays.copyOfRange(payload, in.position(), payload.length));
    return UpdateEnvelope.ofBytes(platform, dedupKey, chatKey, order, raw, route);
  }

  private static byte[] utf8(String value, String what) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_KEY) {
      throw new IllegalArgumentException("an update's " + what + " must be at most " + MAX_KEY + " bytes");
    }
    return bytes;
  }

  private static void putString(ByteBuffer out, byte[] value) {
    out.putShort((short) value.length).put(value);
  }

  private static String getString(ByteBuffer in) {
    int length = in.getShort() & 0xFFFF;
    if (length > MAX_KEY || length > in.remaining()) {
      throw new IllegalArgumentException("a field's length " + length + " runs past the record");
    }
    String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
    in.position(in.position() + length);
    return value;
  }

  /** The buffer's readable bytes as a view of its own memory: no copy. */
  private static ByteBuffer nio(Buffer raw) {
    return ((BufferInternal) raw).getByteBuf().nioBuffer();
  }

  private static byte[] frame(byte type, byte[] payload) {
    return ByteBuffer.allocate(HEADER + payload.length)
        .putInt(payload.length)
        .putInt(crc(type, payload))
        .put(type)
        .put(payload)
        .array();
  }

  private static int crc(byte type, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(type);
    crc.update(payload);
    return (int) crc.getValue();
  }
}
