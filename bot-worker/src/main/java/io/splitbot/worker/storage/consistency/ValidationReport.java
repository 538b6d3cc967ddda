package io.splitbot.worker.storage.consistency;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The result of comparing two backends: per kind the counts, overall the integrity score (the percentage of
 * records, over the union of keys of both sides, that are equal on both), and the first differences found.
 */
public record ValidationReport(String source, String target, List<KindResult> kinds, List<RecordDiff> diffs, boolean diffsTruncated) {

  /** Counts of one kind. */
  public record KindResult(String kind, long sourceCount, long targetCount, long equal, long different,
      long missingInTarget, long missingInSource) {
    public long union() {
      return equal + different + missingInTarget + missingInSource;
    }

    public double integrity() {
      return union() == 0 ? 100.0 : 100.0 * equal / union();
    }

    public JsonObject toJson() {
      return new JsonObject().put("kind", kind).put("source", sourceCount).put("target", targetCount)
          .put("equal", equal).put("different", different).put("missing_in_target", missingInTarget)
          .put("missing_in_source", missingInSource).put("integrity", round(integrity()));
    }
  }

  public long union() {
    return kinds.stream().mapToLong(KindResult::union).sum();
  }

  public long equal() {
    return kinds.stream().mapToLong(KindResult::equal).sum();
  }

  /** Percentage of equal records; 100 when both sides are empty. */
  public double integrity() {
    long u = union();
    return u == 0 ? 100.0 : 100.0 * equal() / u;
  }

  public boolean consistent() {
    return equal() == union();
  }

  static double round(double d) {
    return Math.floor(d * 100) / 100; // never rounds 99.999 up to 100
  }

  public JsonObject toJson() {
    JsonArray k = new JsonArray();
    kinds.forEach(r -> k.add(r.toJson()));
    JsonArray d = new JsonArray();
    diffs.forEach(r -> d.add(r.toJson()));
    return new JsonObject().put("source", source).put("target", target).put("integrity", round(integrity()))
        .put("records", union()).put("equal", equal()).put("kinds", k).put("diffs", d).put("diffs_truncated", diffsTruncated);
  }

  /** A human-readable table. */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-18s %9s %9s %9s %9s %9s %9s %9s%n", "kind", source, target, "equal",
        "different", "only src", "only tgt", "integrity"));
    for (KindResult r : kinds) {
      b.append(String.format(Locale.ROOT, "%-18s %9d %9d %9d %9d %9d %9d %8.2f%%%n", r.kind(), r.sourceCount(),
          r.targetCount(), r.equal(), r.different(), r.missingInTarget(), r.missingInSource(), round(r.integrity())));
    }
    b.append(String.format(Locale.ROOT, "integrity score: %.2f%% (%d of %d records equal)%n", round(integrity()), equal(), union()));
    for (RecordDiff d : diffs) {
      b.append("  ").append(d).append('\n');
    }
    if (diffsTruncated) {
      b.append("  … more differences not shown\n");
    }
    return b.toString();
  }
}
