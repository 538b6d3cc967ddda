package io.splitbot.worker.monitoring;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hit and miss counters of one cache in this process, for {@code /monitoring/cache-health} and {@code /metrics}.
 * A cache counts its own lookups: {@code CacheStats.named("profiles").hit()} on a hit, {@code .miss()} on a miss.
 */
public final class CacheStats {
  private static final Map<String, CacheStats> ALL = new ConcurrentHashMap<>();

  private final String name;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  private CacheStats(String name) {
    this.name = name;
  }

  /** The counters of the cache called {@code name}; the same object for the same name, process-wide. */
  public static CacheStats named(String name) {
    return ALL.computeIfAbsent(name, CacheStats::new);
  }

  /** Every cache that has counters, by name. */
  public static Map<String, CacheStats> all() {
    return Map.copyOf(ALL);
  }

  public void hit() {
    hits.incrementAndGet();
  }

  public void miss() {
    misses.incrementAndGet();
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }

  public String name() {
    return name;
  }

  /** Hits over lookups, or null before the first lookup. */
  public Double hitRate() {
    long h = hits.get();
    long total = h + misses.get();
    return total == 0 ? null : (double) h / total;
  }

  public JsonObject toJson() {
    return new JsonObject().put("hits", hits()).put("misses", misses()).put("hit_rate", hitRate());
  }
}
