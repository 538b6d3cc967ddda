package io.splitbot.worker.storage.consistency;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** How one record compares on the two sides, field by field. */
public record RecordDiff(String kind, String key, Status status, List<FieldDiff> fields) {
  public enum Status { EQUAL, DIFFERENT, MISSING_IN_TARGET, MISSING_IN_SOURCE, MISSING_IN_BOTH }

  /** One field whose values differ; values are in canonical form (text for instants and decimals). */
  public record FieldDiff(String field, Object source, Object target) {
    public JsonObject toJson() {
      return new JsonObject().put("field", field).put("source", source).put("target", target);
    }
  }

  public boolean equal() {
    return status == Status.EQUAL;
  }

  public JsonObject toJson() {
    JsonArray f = new JsonArray();
    fields.forEach(d -> f.add(d.toJson()));
    return new JsonObject().put("kind", kind).put("key", key).put("status", status.name().toLowerCase()).put("fields", f);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(kind).append(' ').append(key).append(": ").append(status.name().toLowerCase());
    for (FieldDiff d : fields) {
      b.append("\n    ").append(d.field()).append(": source=").append(d.source()).append(" target=").append(d.target());
    }
    return b.toString();
  }
}
