package io.splitbot.worker.storage.model;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One kind of stored record, described once for every backend: its fields and their types (which make the
 * PostgreSQL columns, the Airtable fields and the JSON store's lines), its key, its version (which keeps a non-forced
 * copy from overwriting newer data), the file it shares in the JSON store, and the parent it belongs to (a comment to
 * its request), so a record is repaired and compared together with its children.
 */
public final class Kind<T> {
  /** How a field is stored: its PostgreSQL column type and its canonical JSON form. */
  public enum Type {
    /** text. */
    TEXT,
    /** bigint; a JSON number. */
    LONG,
    /** boolean. */
    BOOL,
    /** numeric; canonical text without trailing zeros, a number field in Airtable. */
    DECIMAL,
    /** timestamptz; canonical fixed-width UTC text with milliseconds, which sorts by time. */
    INSTANT,
    /** jsonb; a JSON object, long text holding it in Airtable. */
    JSON
  }

  /** Separates the parts of a composite key ("store/key"). */
  public static final String KEY_SEPARATOR = "/";

  private final String name;
  private final String group;
  private final String airtableTable;
  private final Map<String, Type> fields;
  private final List<String> keyFields;
  private final Function<T, JsonObject> toJson;
  private final Function<JsonObject, T> fromJson;
  private final String versionField;
  private final ToLongFunction<T> version;
  private final boolean growsOnly;
  private final Kind<?> parent;
  private final String parentField;

  private Kind(Builder<T> b) {
    this.name = b.name;
    this.group = b.group == null ? b.name : b.group;
    this.airtableTable = b.airtableTable;
    this.fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.fields));
    this.keyFields = List.copyOf(b.keyFields);
    this.toJson = b.toJson;
    this.fromJson = b.fromJson;
    this.versionField = b.versionField;
    this.version = b.version == null ? r -> 0 : b.version;
    this.growsOnly = b.growsOnly;
    this.parent = b.parent;
    this.parentField = b.parentField;
  }

  /** Starts the description of a kind; {@code name} is also its PostgreSQL table and its JSON store section. */
  public static <T> Builder<T> named(String name) {
    return new Builder<>(name);
  }

  public String name() {
    return name;
  }

  /** The JSON store file ({@code group.json}) it shares with the kinds one operation changes together. */
  public String group() {
    return group;
  }

  /** The default Airtable table name (AIRTABLE_TABLE_&lt;NAME&gt; overrides it). */
  public String airtableTable() {
    return airtableTable;
  }

  /** All fields in canonical order, key first. */
  public List<String> fields() {
    return List.copyOf(fields.keySet());
  }

  public Type type(String field) {
    return fields.get(field);
  }

  /** The fields that make the key, in order; one for most kinds. */
  public List<String> keyFields() {
    return keyFields;
  }

  /** The key field, or the last one of a composite key. */
  public String keyField() {
    return keyFields.get(keyFields.size() - 1);
  }

  public boolean numericKey() {
    return keyFields.size() == 1 && fields.get(keyFields.get(0)) == Type.LONG;
  }

  /** The record's key: its key fields' values, joined by {@link #KEY_SEPARATOR}. */
  public String key(T record) {
    JsonObject j = toJson(record);
    List<String> parts = new ArrayList<>();
    keyFields.forEach(f -> parts.add(String.valueOf(j.getValue(f))));
    return String.join(KEY_SEPARATOR, parts);
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

  /** A repair never lowers the version of such a record (a counter): the higher side wins. */
  public boolean growsOnly() {
    return growsOnly;
  }

  /** The kind whose records own this kind's records, or null. */
  public Kind<?> parent() {
    return parent;
  }

  /** The field holding the owner's key. */
  public String parentField() {
    return parentField;
  }

  /**
   * Keys sort numerically for numeric keys, by text otherwise, part by part for composite keys (as SQL orders by the
   * key columns); each backend scans in this order.
   */
  public Comparator<String> keyOrder() {
    if (numericKey()) {
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
    if (numericKey()) {
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

  /** Describes a kind: fields in canonical order (key first), then the key, the codec and the rest. */
  public static final class Builder<T> {
    private final String name;
    private final Map<String, Type> fields = new LinkedHashMap<>();
    private List<String> keyFields = List.of();
    private String group;
    private String airtableTable;
    private Function<T, JsonObject> toJson;
    private Function<JsonObject, T> fromJson;
    private String versionField;
    private ToLongFunction<T> version;
    private boolean growsOnly;
    private Kind<?> parent;
    private String parentField;

    private Builder(String name) {
      this.name = name;
    }

    public Builder<T> field(String field, Type type) {
      fields.put(field, type);
      return this;
    }

    public Builder<T> text(String... names) {
      for (String n : names) {
        field(n, Type.TEXT);
      }
      return this;
    }

    public Builder<T> key(String... names) {
      keyFields = List.of(names);
      return this;
    }

    public Builder<T> group(String group) {
      this.group = group;
      return this;
    }

    public Builder<T> airtable(String table) {
      this.airtableTable = table;
      return this;
    }

    public Builder<T> version(String field, ToLongFunction<T> version) {
      this.versionField = field;
      this.version = version;
      return this;
    }

    public Builder<T> growsOnly() {
      this.growsOnly = true;
      return this;
    }

    public Builder<T> childOf(Kind<?> parent, String field) {
      this.parent = parent;
      this.parentField = field;
      return this;
    }

    public Kind<T> codec(Function<T, JsonObject> toJson, Function<JsonObject, T> fromJson) {
      this.toJson = toJson;
      this.fromJson = fromJson;
      if (keyFields.isEmpty() || !fields.keySet().containsAll(keyFields) || airtableTable == null) {
        throw new IllegalStateException(name + ": a kind needs its fields, its key among them and an Airtable table");
      }
      return new Kind<>(this);
    }
  }
}
