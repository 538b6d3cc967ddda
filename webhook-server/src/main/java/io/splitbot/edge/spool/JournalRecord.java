package io.splitbot.edge.spool;

import io.splitbot.shared.update.UpdateEnvelope;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The byte format of one journal record:
 *
 * <pre>
 *   [int payload length][int CRC32 of type byte + payload][byte type][payload]      (big-endian)
 *   APPEND (1):     payload = the envelope's JSON in UTF-8
 *   REMOVE (2):     payload = a Telegram update_id as an 8-byte long (written before platforms; still read)
 *   REMOVE_KEY (3): payload = the update's key ({@link UpdateEnvelope#key()}) in UTF-8
 * </pre>
 *
 * The CRC covers the type too, so a flipped type byte is caught as well as a torn payload.
 */
record JournalRecord(byte type, String key, UpdateEnvelope envelope, byte[] bytes) {

  static final int HEADER = 9;
  static final byte APPEND = 1;
  static final byte REMOVE_ID = 2;
  static final byte REMOVE = 3;
  /** Far above any platform's key. */
  static final int MAX_KEY = 1024;
  /** Far above the webhook body limit; a larger length can only be a damaged header. */
  static final int MAX_PAYLOAD = 32 * 1024 * 1024;

  static JournalRecord append(UpdateEnvelope envelope) {
    byte[] payload = envelope.toJson().encode().getBytes(StandardCharsets.UTF_8);
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("update " + envelope.key() + " is too large for the spool (" + payload.length + " bytes)");
    }
    return new JournalRecord(APPEND, envelope.key(), envelope, frame(APPEND, payload));
  }

  static JournalRecord remove(String key) {
    byte[] payload = key.getBytes(StandardCharsets.UTF_8);
    if (payload.length == 0 || payload.length > MAX_KEY) {
      throw new IllegalArgumentException("an update key must be 1 to " + MAX_KEY + " bytes");
    }
    return new JournalRecord(REMOVE, key, null, frame(REMOVE, payload));
  }

  int size() {
    return bytes.length;
  }

  /** True when a header with this length and type could start a record (a cheap filter before the CRC check). */
  static boolean plausibleHeader(int length, byte type) {
    return switch (type) {
      case APPEND -> length > 0 && length <= MAX_PAYLOAD;
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
      return new JournalRecord(REMOVE, Long.toString(ByteBuffer.wrap(payload).getLong()), null, bytes);
    }
    if (type == REMOVE) {
      return new JournalRecord(REMOVE, new String(payload, StandardCharsets.UTF_8), null, bytes);
    }
    try {
      UpdateEnvelope envelope = UpdateEnvelope.fromJson(new JsonObject(new String(payload, StandardCharsets.UTF_8)));
      return new JournalRecord(APPEND, envelope.key(), envelope, bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("CRC is right but the envelope does not decode: " + e.getMessage());
    }
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
