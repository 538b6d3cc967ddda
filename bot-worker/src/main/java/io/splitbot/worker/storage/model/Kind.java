package io.splitbot.worker.storage.model;

import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One kind of stored record (users, requests, ...) described once for every backend: its key, its canonical field
 * map (the JSON store's format, the Airtable fields, the unit of a field-by-field diff) and its version, which keeps
 * a non-forced copy from overwriting newer data.
 */
public final class Kind<T> {
  private final String name;
  private final String keyField;
  private final boolean numericKey;
  private final List<String> fields;
  private final Function<T, String> key;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;
  private final String versionField;
  private final ToLongFunction<T> version;

  Kind(String name, String keyField, boolean numericKey, List<String> fields, Function<T, String> key,
      Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson, String versionField, ToLongFunction<T> version) {
    this.name = name;
    this.keyField = keyField;
    this.numericKey = numericKey;
    this.fields = List.copyOf(fields);
    this.key = key;
    this.toJson = toJson;
    this.fromJson = fromJson;
    this.versionField = versionField;
    this.version = version;
  }

  /** Also the table name in PostgreSQL and the section name in the JSON store. */
  public String name() {
    return name;
  }

  public String keyField() {
    return keyField;
  }

  public boolean numericKey() {
    return numericKey;
  }

  /** All fields in canonical order, key first. */
  public List<String> fields() {
    return fields;
  }

  public String key(T record) {
    return key.apply(record);
  }

  /** Canonical field map: every field present (null when empty), instants as fixed-width UTC text. */
  public JsonObject toJson(T record) {
    return toJson.apply(record);
  }

  /** Reads a record back, tolerating the representation differences of the backends. */
  public T fromJson(JsonObject json) {
    return fromJson.apply(json);
  }

  /** Field that orders versions of a record (updated_at, value), or null when records never change. */
  public String versionField() {
    return versionField;
  }

  public long version(T record) {
    return version.applyAsLong(record);
  }

  /** Keys sort numerically for numeric keys, by text otherwise; each backend scans in this order. */
  public Comparator<String> keyOrder() {
    return numericKey ? Comparator.comparingLong(Long::parseLong) : Comparator.naturalOrder();
  }

  /** Normalises a key given by a user (e.g. " 42 " for a numeric key); throws IllegalArgumentException. */
  public String normaliseKey(String raw) {
    String k = raw == null ? "" : raw.trim();
    if (k.isEmpty()) {
      throw new IllegalArgumentException(name + ": empty key");
    }
    if (numericKey) {
      try {
        return Long.toString(Long.parseLong(k));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + ": key must be a whole number, got '" + raw + "'");
      }
    }
    return k;
  }

  @Override
  public String toString() {
    return name;
  }
}
