package io.splitbot.worker.storage.migration;

import io.splitbot.worker.storage.consistency.ValidationReport;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a migration did: counts per kind, failures with their reason, and the integrity score when validated. */
public final class MigrationReport {
  /** Counts of one kind. */
  public static final class KindCounts {
    public long source;
    public long processed;
    public long created;
    public long updated;
    public long unchanged;
    public long skippedNewer;
    public long failed;

    JsonObject toJson() {
      return new JsonObject().put("source", source).put("processed", processed).put("created", created)
          .put("updated", updated).put("unchanged", unchanged).put("skipped_newer", skippedNewer).put("failed", failed);
    }

    static KindCounts fromJson(JsonObject j) {
      KindCounts c = new KindCounts();
      c.source = j.getLong("source", 0L);
      c.processed = j.getLong("processed", 0L);
      c.created = j.getLong("created", 0L);
      c.updated = j.getLong("updated", 0L);
      c.unchanged = j.getLong("unchanged", 0L);
      c.skippedNewer = j.getLong("skipped_newer", 0L);
      c.failed = j.getLong("failed", 0L);
      return c;
    }
  }

  /** One record that could not be copied. */
  public record Failure(String kind, String key, String reason) {
  }

  public static final int MAX_FAILURES_LISTED = 100;

  final String from;
  final String to;
  final boolean dryRun;
  final Map<String, KindCounts> kinds = new LinkedHashMap<>();
  final List<Failure> failures = new ArrayList<>();
  long failureCount;
  String resumedFrom;
  String error;
  ValidationReport validation;
  long millis;

  MigrationReport(String from, String to, boolean dryRun) {
    this.from = from;
    this.to = to;
    this.dryRun = dryRun;
  }

  void fail(String kind, String key, String reason) {
    failureCount++;
    if (failures.size() < MAX_FAILURES_LISTED) {
      failures.add(new Failure(kind, key, reason));
    }
  }

  public Map<String, KindCounts> kinds() {
    return kinds;
  }

  public List<Failure> failures() {
    return failures;
  }

  public long failureCount() {
    return failureCount;
  }

  public ValidationReport validation() {
    return validation;
  }

  public String error() {
    return error;
  }

  public boolean dryRun() {
    return dryRun;
  }

  public long copied() {
    return kinds.values().stream().mapToLong(c -> c.created + c.updated).sum();
  }

  /** True when nothing failed, the run completed, and (when validated) both sides are equal. */
  public boolean ok() {
    return error == null && failureCount == 0 && (validation == null || validation.consistent());
  }

  public JsonObject toJson() {
    JsonObject k = new JsonObject();
    kinds.forEach((name, c) -> k.put(name, c.toJson()));
    JsonArray f = new JsonArray();
    failures.forEach(x -> f.add(new JsonObject().put("kind", x.kind()).put("key", x.key()).put("reason", x.reason())));
    JsonObject j = new JsonObject().put("from", from).put("to", to).put("dry_run", dryRun).put("ok", ok())
        .put("copied", copied()).put("kinds", k).put("failures", f).put("failure_count", failureCount)
        .put("resumed_from", resumedFrom).put("error", error).put("millis", millis);
    if (validation != null) {
      j.put("integrity", validation.toJson().getDouble("integrity")).put("validation", validation.toJson());
    }
    return j;
  }

  public String render() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "migrate %s -> %s%s: %s in %.1f s%s%n", from, to, dryRun ? " (dry run: nothing written)" : "",
        error != null ? "STOPPED" : "finished", millis / 1000.0,
        resumedFrom != null ? " (resumed from checkpoint at " + resumedFrom + ")" : ""));
    b.append(String.format(Locale.ROOT, "%-18s %9s %9s %9s %9s %9s %9s%n", "kind", "source",
        dryRun ? "to create" : "created", dryRun ? "to update" : "updated", "unchanged", "newer", "failed"));
    kinds.forEach((name, c) -> b.append(String.format(Locale.ROOT, "%-18s %9d %9d %9d %9d %9d %9d%n", name, c.source,
        c.created, c.updated, c.unchanged, c.skippedNewer, c.failed)));
    if (failureCount > 0) {
      b.append("failures (").append(failureCount).append("):\n");
      failures.forEach(x -> b.append("  ").append(x.kind()).append(' ').append(x.key()).append(": ").append(x.reason()).append('\n'));
      if (failureCount > failures.size()) {
        b.append("  … ").append(failureCount - failures.size()).append(" more\n");
      }
    }
    if (error != null) {
      b.append("error: ").append(error).append('\n');
    }
    if (validation != null) {
      b.append("validation:\n").append(validation.render());
    }
    b.append(ok() ? "result: OK\n" : "result: FAILED\n");
    return b.toString();
  }
}
