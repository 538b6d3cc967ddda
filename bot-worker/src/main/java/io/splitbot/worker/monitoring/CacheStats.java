package io.splitbot.worker.monitoring;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hit and miss counters of one cache in this process, for {@code /monitoring/cache-health} and {@code /metrics}.
 * A cache counts its own lookups: {@code CacheStats.named("profiles").hit()} on a hit, {@code .miss()} on a miss, or
 * {@code .hit("max")} to count a platform's lookup in its own breakdown as well.
 */
public final class CacheStats {
  private static final Map<String, CacheStats> ALL = new ConcurrentHashMap<>();

  private final String name;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final Map<String, CacheStats> platforms = new ConcurrentHashMap<>();

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

  /** A hit of an entry of one platform's: counted overall and for the platform. */
  public void hit(String platform) {
    hit();
    platform(platform).hit();
  }

  public void miss(String platform) {
    miss();
    platform(platform).miss();
  }

  /** The counters of one platform's lookups. */
  public CacheStats platform(String platform) {
    return platforms.computeIfAbsent(platform, p -> new CacheStats(name));
  }

  /** Whether lookups are counted per platform ({@link #hit(String)}); those caches have a per-platform breakdown. */
  public boolean perPlatform() {
    return !platforms.isEmpty();
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
    return Ratios.of(h, h + misses.get());
  }

  public JsonObject toJson() {
    return new JsonObject().put("hits", hits()).put("misses", misses()).put("hit_rate", hitRate());
  }
}
