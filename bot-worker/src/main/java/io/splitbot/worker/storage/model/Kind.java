package io.splitbot.worker.storage.model;

import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One kind of stored record, described once for every backend from a Java record: its components, in order, are
 * the fields (snake_case names; their types make the PostgreSQL columns, the Airtable fields and the JSON store's
 * lines), plus its key, its version (which keeps a non-forced copy from overwriting newer data), the file it shares
 * in the JSON store, and the kind that owns it (a comment its request), so a record is repaired and compared together
 * with its children.
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
  private final RecordComponent[] components;
  private final Constructor<T> constructor;
  private final Map<String, Type> fields;
  private final Map<String, String> defaults;
  private final Set<String> optional;
  private final List<String> keyFields;
  private final String versionField;
  private final boolean growsOnly;
  private final Kind<?> parent;
  private final String parentField;

  private Kind(Builder<T> b) {
    this.name = b.name;
    this.group = b.group == null ? b.name : b.group;
    this.airtableTable = b.airtableTable;
    this.components = b.type.getRecordComponents();
    this.fields = new LinkedHashMap<>();
    List<Class<?>> types = new ArrayList<>();
    for (RecordComponent c : components) {
      fields.put(b.renamed.getOrDefault(c.getName(), snake(c.getName())), typeOf(c.getType()));
      types.add(c.getType());
    }
    try {
      this.constructor = b.type.getDeclaredConstructor(types.toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    this.optional = Set.copyOf(b.optional);
    this.defaults = Map.copyOf(b.defaults);
    this.keyFields = List.copyOf(b.keyFields);
    this.versionField = b.versionField;
    this.growsOnly = b.growsOnly;
    this.parent = b.parent;
    this.parentField = b.parentField;
    if (!fields.keySet().containsAll(keyFields) || airtableTable == null) {
      throw new IllegalStateException(name + ": a kind needs its key among its fields and an Airtable table");
    }
    defaults.keySet().forEach(f -> {
      if (fields.get(f) != Type.TEXT) {
        throw new IllegalStateException(name + ": only a text field can have a default, not " + f);
      }
    });
  }

  private static String snake(String camel) {
    return camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

  private static Type typeOf(Class<?> c) {
    if (c == long.class || c == Long.class) {
      return Type.LONG;
    }
    if (c == boolean.class || c == Boolean.class) {
      return Type.BOOL;
    }
    if (c == BigDecimal.class) {
      return Type.DECIMAL;
    }
    if (c == Instant.class) {
      return Type.INSTANT;
    }
    return c == JsonObject.class ? Type.JSON : Type.TEXT;
  }

  /** Starts the description of a kind of {@code type}; {@code name} is its PostgreSQL table and JSON store section. */
  public static <T extends Record> Builder<T> of(Class<T> type, String name) {
    return new Builder<>(type, name);
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

  public boolean numericKey() {
    return keyFields.size() == 1 && fields.get(keyFields.get(0)) == Type.LONG;
  }

  /** Whether the key field at {@code index} holds a number (compared and bound as one), as user_id does. */
  public boolean numericKeyPart(int index) {
    return fields.get(keyFields.get(index)) == Type.LONG;
  }

  /**
   * The value a record written before the field existed has (users' {@code platform}: "telegram"), or null. The
   * backends read such a record with it: the JSON store and Airtable when the value is missing, PostgreSQL through
   * the column's DEFAULT (and a read-only older schema through a literal).
   */
  public String defaultValue(String field) {
    return defaults.get(field);
  }

  /** Every field with a default, and its default. */
  public Map<String, String> defaults() {
    return defaults;
  }

  /** The record's key: its key fields' values, joined by {@link #KEY_SEPARATOR}. */
  public String key(T record) {
    List<String> parts = new ArrayList<>();
    List<String> names = fields();
    for (String f : keyFields) {
      parts.add(String.valueOf(invoke(components[names.indexOf(f)], record)));
    }
    return String.join(KEY_SEPARATOR, parts);
  }

  /** The key of a record in canonical form. */
  public String keyOf(JsonObject canonical) {
    List<String> parts = new ArrayList<>();
    keyFields.forEach(f -> parts.add(String.valueOf(canonical.getValue(f))));
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
    JsonObject j = new JsonObject();
    int i = 0;
    for (Map.Entry<String, Type> f : fields.entrySet()) {
      Object v = invoke(components[i++], record);
      j.put(f.getKey(), switch (f.getValue()) {
        case INSTANT -> Values.format((Instant) v);
        case DECIMAL -> v == null ? null : ((BigDecimal) v).toPlainString();
        default -> v;
      });
    }
    return j;
  }

  private static Object invoke(RecordComponent c, Object record) {
    try {
      return c.getAccessor().invoke(record);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a record back, tolerating the representation differences of the backends (numbers as text and the
   * reverse, JSON as text); the record's constructor checks the values.
   */
  public T fromJson(JsonObject j) {
    Object[] args = new Object[components.length];
    int i = 0;
    for (Map.Entry<String, Type> e : fields.entrySet()) {
      String f = e.getKey();
      Class<?> c = components[i].getType();
      args[i++] = switch (e.getValue()) {
        case LONG -> c == long.class ? (Object) Values.longValue(j, f) : Values.longOrNull(j, f);
        case BOOL -> Values.bool(j, f);
        case DECIMAL -> Values.decimalOrNull(j, f);
        case INSTANT -> optional.contains(f) ? Values.instant(j, f) : Values.requiredInstant(j, f);
        case JSON -> j.getValue(f) instanceof String s ? new JsonObject(s) : j.getJsonObject(f);
        case TEXT -> {
          String v = keyFields.contains(f) && j.getValue(f) instanceof String s ? s : Values.text(j, f);
          yield v == null || v.isEmpty() ? defaults.getOrDefault(f, v) : v;
        }
      };
    }
    try {
      return constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Field that orders versions of a record (updated_at, value), or null when records never change. */
  public String versionField() {
    return versionField;
  }

  /** The version: epoch milliseconds of an instant field, the value of a number field; 0 without one. */
  public long version(T record) {
    if (versionField == null) {
      return 0;
    }
    Object v = toJson(record).getValue(versionField);
    return fields.get(versionField) == Type.INSTANT
        ? Values.parseInstant(versionField, (String) v).toEpochMilli() : ((Number) v).longValue();
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
   * key columns: a number part as a number); each backend scans in this order.
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
        int c = numericKeyPart(i) ? Long.compare(Long.parseLong(x.get(i)), Long.parseLong(y.get(i)))
            : x.get(i).compareTo(y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return 0;
    };
  }

  /**
   * A key as it was written before a leading key field with a default existed (a users key "42" from before
   * {@code platform}) in today's form ("telegram/42"); any other key unchanged. For keys that outlive an upgrade:
   * a migration checkpoint, a dual repair queue entry, a key typed on the command line.
   */
  public String upgradeKey(String key) {
    if (key == null || keyFields.size() < 2 || defaults.get(keyFields.get(0)) == null) {
      return key;
    }
    int parts = key.split(KEY_SEPARATOR, keyFields.size()).length;
    return parts == keyFields.size() - 1 ? defaults.get(keyFields.get(0)) + KEY_SEPARATOR + key : key;
  }

  /**
   * Normalises a key given by a user (e.g. " 42 " for a numeric key, "42" for users meaning "telegram/42"); throws
   * IllegalArgumentException.
   */
  public String normaliseKey(String raw) {
    String k = raw == null ? "" : raw.trim();
    if (k.isEmpty()) {
      throw new IllegalArgumentException(name + ": empty key");
    }
    if (numericKey()) {
      return number(k, raw);
    }
    List<String> parts = new ArrayList<>(keyParts(upgradeKey(k)));
    for (int i = 0; i < parts.size(); i++) {
      if (numericKeyPart(i)) {
        parts.set(i, number(parts.get(i).trim(), raw));
      }
    }
    return String.join(KEY_SEPARATOR, parts);
  }

  private String number(String part, String raw) {
    try {
      return Long.toString(Long.parseLong(part));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": key must be a whole number, got '" + raw + "'");
    }
  }

  @Override
  public String toString() {
    return name;
  }

  /** The rest of a kind's description; its fields come from the record's components. */
  public static final class Builder<T> {
    private final Class<T> type;
    private final String name;
    private final Map<String, String> renamed = new HashMap<>();
    private final Set<String> optional = new HashSet<>();
    private final Map<String, String> defaults = new HashMap<>();
    private List<String> keyFields = List.of();
    private String group;
    private String airtableTable;
    private String versionField;
    private boolean growsOnly;
    private Kind<?> parent;
    private String parentField;

    private Builder(Class<T> type, String name) {
      this.type = type;
      this.name = name;
    }

    /** The field of a component whose name is not its snake_case form. */
    public Builder<T> rename(String component, String field) {
      renamed.put(component, field);
      return this;
    }

    /** Instant fields that may be empty (the others are required when read back). */
    public Builder<T> optional(String... instantFields) {
      optional.addAll(List.of(instantFields));
      return this;
    }

    /** The value of a text field that records written before it existed have; see {@link Kind#defaultValue}. */
    public Builder<T> defaultValue(String field, String value) {
      defaults.put(field, value);
      return this;
    }

    public Builder<T> key(String... fields) {
      keyFields = List.of(fields);
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

    /** An instant (updated_at) or a number (a counter's value) that grows with every change. */
    public Builder<T> version(String field) {
      this.versionField = field;
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

    public Kind<T> build() {
      return new Kind<>(this);
    }
  }
}
