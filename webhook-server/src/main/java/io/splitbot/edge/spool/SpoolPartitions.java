package io.splitbot.edge.spool;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which partition of a Redis spool holds a chat's updates: {@code floorMod(CRC32(UTF-8 bytes of the lane), P)}. Every
 * edge, of every version, must pick the same partition for a chat, or two edges would forward one chat: this function
 * must never change (CRC32 is fixed by its standard, unlike a hash a library may improve).
 */
public final class SpoolPartitions {
  public static final int DEFAULT = 16;
  public static final int MAX = 1024;

  private SpoolPartitions() {
  }

  /** The partition of {@code lane} ({@code UpdateEnvelope.lane()}) among {@code partitions}. */
  public static int of(String lane, int partitions) {
    CRC32 crc = new CRC32();
    crc.update(lane.getBytes(StandardCharsets.UTF_8));
    return (int) Math.floorMod(crc.getValue(), (long) partitions);
  }
}
