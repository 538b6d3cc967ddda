package io.splitbot.shared.rollout;

import java.nio.charset.StandardCharsets;

/**
 * The stable buckets a gradual rollout counts in: a key falls into one of {@value #BUCKETS} buckets by a 64-bit hash
 * (FNV-1a, then MurmurHash3's 64-bit finaliser to spread the bits). The bucket depends only on the key, so a key keeps
 * it from one update, process or machine to the next, and raising a percentage only adds buckets: what is on stays on.
 * The edge's chat routing and the worker's profile integration both count in them.
 */
public final class RolloutBuckets {
  public static final int BUCKETS = 10_000;

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private RolloutBuckets() {
  }

  /** The key's bucket, 0..9999; the same for a key everywhere and always. */
  public static int bucket(String key) {
    return (int) Long.remainderUnsigned(hash64(key), BUCKETS);
  }

  /** Whether {@code key} is inside a rollout of {@code basisPoints} (hundredths of a percent, 0..10000). */
  public static boolean inside(String key, int basisPoints) {
    return bucket(key) < basisPoints;
  }

  /** FNV-1a over the UTF-8 bytes, finished with MurmurHash3's fmix64 so nearby ids land far apart. */
  static long hash64(String key) {
    long h = FNV_OFFSET;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
