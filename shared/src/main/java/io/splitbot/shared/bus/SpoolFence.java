package io.splitbot.shared.bus;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Which spool partition a forward comes from and the fencing epoch its edge took with that partition's lease
 * (docs/SCALING.md, section 1). The edge sends it as two event-bus headers; the worker's claim refuses a forward whose
 * epoch is older than the partition's epoch in Redis ({@code <prefix>:p<n>:epoch}), so an edge that lost its lease
 * and wakes up late cannot have an update run. A forward without the headers (a file spool, an older edge) is not
 * checked.
 */
public record SpoolFence(int partition, long epoch) {
  /** The Redis spool's key prefix: every edge and worker names the same keys. */
  public static final String KEY_PREFIX = "splitbot:spool";
  public static final String PARTITION_HEADER = "x-spool-partition";
  public static final String EPOCH_HEADER = "x-spool-epoch";

  /** The Redis key of a partition's fencing epoch, INCR-ed by each edge that takes its lease. */
  public static String epochKey(String prefix, int partition) {
    return partitionKey(prefix, partition, "epoch");
  }

  /** {@code <prefix>:p<n>:<name>}: the stream, index, lease and epoch of partition n. */
  public static String partitionKey(String prefix, int partition, String name) {
    return prefix + ":p" + partition + ":" + name;
  }

  public DeliveryOptions addTo(DeliveryOptions options) {
    return options.addHeader(PARTITION_HEADER, Integer.toString(partition)).addHeader(EPOCH_HEADER, Long.toString(epoch));
  }

  /** The fence in a forward's headers, or null when it carries none (or an unreadable one, which is not checked). */
  public static SpoolFence from(MultiMap headers) {
    String partition = headers.get(PARTITION_HEADER);
    String epoch = headers.get(EPOCH_HEADER);
    if (partition == null || epoch == null) {
      return null;
    }
    try {
      return new SpoolFence(Integer.parseInt(partition), Long.parseLong(epoch));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
