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
  private final List<String> keyFields;
  private final boolean numericKey;
  private final List<String> fields;
  private final Function<T, String> key;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;
  private final String versionField;
  private final ToLongFunction<T> version;

  Kind(String name, String keyField, boolean numericKey, List<String> fields, Function<T, String> key,
      Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson, String versionField, ToLongFunction<T> version) {
    this(name, List.of(keyField), numericKey, fields, key, toJson, fromJson, versionField, version);
  }

  /** A kind whose key is made of several text fields, joined by {@link #KEY_SEPARATOR} (no part but the last may hold one). */
  Kind(String name, List<String> keyFields, boolean numericKey, List<String> fields, Function<T, String> key,
      Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson, String versionField, ToLongFunction<T> version) {
    this.name = name;
    this.keyFields = List.copyOf(keyFields);
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

  /** Separates the parts of a composite key ("store/key"). */
  public static final String KEY_SEPARATOR = "/";

  /** The key field, or the last one of a composite key. */
  public String keyField() {
    return keyFields.get(keyFields.size() - 1);
  }

  /** The fields that make the key, in order; one for most kinds. */
  public List<String> keyFields() {
    return keyFields;
  }

  /** A key split into the values of {@link #keyFields()}; throws IllegalArgumentException when parts are missing. */
  public List<String> keyParts(String key) {
    if (keyFields.size() == 1) {
      return List.of(key);
    }
    String[] parts = key.split(KEY_SEPARATOR, keyFields.size());
    if (parts.length != keyFields.size()) {
      throw new IllegalArgumentException(name + ": a key is " + String.join(KEY_SEPARATOR, keyFields) + ", got '" + key + "'");
    }
    return List.of(parts);
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

  /**
   * Keys sort numerically for numeric keys, by text otherwise, part by part for composite keys (as SQL orders by the
   * key columns); each backend scans in this order.
   */
  public Comparator<String> keyOrder() {
    if (numericKey) {
      return Comparator.comparingLong(Long::parseLong);
    }
    if (keyFields.size() == 1) {
      return Comparator.naturalOrder();
    }
    return (a, b) -> {
      List<String> x = keyParts(a);
      List<String> y = keyParts(b);
      for (int i = 0; i < x.size(); i++) {
        int c = x.get(i).compareTo(y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
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
    keyParts(k);
    return k;
  }

  @Override
  public String toString() {
    return name;
  }
}
