package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.Kind;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A filter and an order over one kind's canonical fields, answered the same way by every backend: PostgreSQL in
 * SQL, Airtable with a formula, the others in memory through {@link #apply}. Text matching is case-insensitive
 * ({@code Locale.ROOT}); an ascending order puts empty values last, as SQL does.
 */
public record Query(List<Condition> where, List<Order> orderBy) {
  public sealed interface Condition permits Eq, Contains {
  }

  /** The field equals the value (compared as text; null matches an empty field). */
  public record Eq(String field, Object value) implements Condition {
  }

  /** Any of the fields contains the lower-case text. */
  public record Contains(String lowerText, List<String> fields) implements Condition {
  }

  public record Order(String field, boolean descending) {
  }

  public Query {
    where = List.copyOf(where);
    orderBy = List.copyOf(orderBy);
  }

  /** Every record, in key order unless ordered otherwise. */
  public static Query all() {
    return new Query(List.of(), List.of());
  }

  public Query eq(String field, Object value) {
    return with(new Eq(field, value));
  }

  /** Case-insensitive substring of any of the fields; a blank text matches everything. */
  public Query contains(String text, List<String> fields) {
    return text == null || text.isBlank() ? this : with(new Contains(text.trim().toLowerCase(Locale.ROOT), fields));
  }

  public Query orderBy(String field, boolean descending) {
    List<Order> o = new ArrayList<>(orderBy);
    o.add(new Order(field, descending));
    return new Query(where, o);
  }

  private Query with(Condition c) {
    List<Condition> w = new ArrayList<>(where);
    w.add(c);
    return new Query(w, orderBy);
  }

  /** The wire form, for a backend that answers queries elsewhere (the remote backend's request service). */
  public JsonObject toJson() {
    io.vertx.core.json.JsonArray w = new io.vertx.core.json.JsonArray();
    for (Condition c : where) {
      if (c instanceof Eq e) {
        w.add(new JsonObject().put("eq", e.field()).put("value", e.value()));
      } else if (c instanceof Contains t) {
        w.add(new JsonObject().put("contains", t.lowerText()).put("fields", new io.vertx.core.json.JsonArray(t.fields())));
      }
    }
    io.vertx.core.json.JsonArray o = new io.vertx.core.json.JsonArray();
    orderBy.forEach(x -> o.add(new JsonObject().put("field", x.field()).put("descending", x.descending())));
    return new JsonObject().put("where", w).put("order_by", o);
  }

  /** Reads {@link #toJson()}; throws IllegalArgumentException for anything else. */
  public static Query fromJson(JsonObject j) {
    try {
      List<Condition> w = new ArrayList<>();
      for (Object c : j.getJsonArray("where", new io.vertx.core.json.JsonArray())) {
        JsonObject o = (JsonObject) c;
        if (o.getValue("eq") instanceof String field) {
          w.add(new Eq(field, o.getValue("value")));
        } else if (o.getValue("contains") instanceof String text) {
          w.add(new Contains(text.toLowerCase(Locale.ROOT),
              o.getJsonArray("fields").stream().map(f -> (String) f).toList()));
        } else {
          throw new IllegalArgumentException("a condition is {eq, value} or {contains, fields}");
        }
      }
      List<Order> order = new ArrayList<>();
      for (Object x : j.getJsonArray("order_by", new io.vertx.core.json.JsonArray())) {
        JsonObject o = (JsonObject) x;
        order.add(new Order(java.util.Objects.requireNonNull(o.getString("field")), o.getBoolean("descending", false)));
      }
      return new Query(w, order);
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not a query: " + e.getMessage());
    }
  }

  public boolean matches(JsonObject canonical) {
    for (Condition c : where) {
      if (c instanceof Eq e && !String.valueOf(canonical.getValue(e.field())).equals(String.valueOf(e.value()))) {
        return false;
      }
      if (c instanceof Contains t && t.fields().stream().noneMatch(f -> {
        Object v = canonical.getValue(f);
        return v != null && v.toString().toLowerCase(Locale.ROOT).contains(t.lowerText());
      })) {
        return false;
      }
    }
    return true;
  }

  /** The matching records in this order (then by key), for the backends that filter in memory. */
  public <T> List<T> apply(Kind<T> kind, Collection<T> records) {
    List<JsonObject> rows = new ArrayList<>();
    for (T r : records) {
      JsonObject j = kind.toJson(r);
      if (matches(j)) {
        rows.add(j);
      }
    }
    Comparator<String> keys = kind.keyOrder();
    rows.sort(comparator().thenComparing((a, b) -> keys.compare(kind.keyOf(a), kind.keyOf(b))));
    return rows.stream().map(kind::fromJson).toList();
  }

  private Comparator<JsonObject> comparator() {
    Comparator<JsonObject> c = (a, b) -> 0;
    for (Order o : orderBy) {
      Comparator<JsonObject> byField = (a, b) -> compareValues(a.getValue(o.field()), b.getValue(o.field()));
      c = c.thenComparing(o.descending() ? byField.reversed() : byField);
    }
    return c;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
    }
    return ((Comparable) a).compareTo(b);
  }
}
