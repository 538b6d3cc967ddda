package io.splitbot.worker.storage.postgres;

import io.splitbot.worker.storage.Query;
import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How any kind maps to its table, from the kind's fields and their types: a column per field, bind values and a row
 * reader through the canonical JSON. All SQL is parameterised.
 */
final class PgTable<T> {
  private static final Map<Kind<?>, PgTable<?>> TABLES = new ConcurrentHashMap<>();

  final Kind<T> kind;
  final String columns;
  final String insert;
  final String upsertForced;
  final String upsertGuarded;
  final String getAll;
  final String forUpdate;
  final String deleteAll;
  final String count;
  private final List<String> keyColumns;
  private final Set<String> absent;

  @SuppressWarnings("unchecked")
  static <T> PgTable<T> of(Kind<T> kind) {
    return (PgTable<T>) TABLES.computeIfAbsent(kind, k -> new PgTable<>(k, Set.of()));
  }

  /**
   * The table of an older schema that lacks some fields with a default (a read-only source): each is read as its
   * default, a literal in place of the column, so its keys and filters work as on today's schema.
   */
  static <T> PgTable<T> withAbsent(Kind<T> kind, Set<String> absent) {
    return absent.isEmpty() ? of(kind) : new PgTable<>(kind, absent);
  }

  private PgTable(Kind<T> kind, Set<String> absent) {
    this.kind = kind;
    this.absent = Set.copyOf(absent);
    List<String> f = kind.fields();
    String t = kind.name();
    this.keyColumns = kind.keyFields().stream().map(this::column).toList();
    String key = String.join(", ", keyColumns);
    this.columns = f.stream().map(c -> absent.contains(c) ? column(c) + " AS " + quote(c) : quote(c))
        .collect(Collectors.joining(", "));
    String names = f.stream().map(PgTable::quote).collect(Collectors.joining(", "));
    String values = IntStream.rangeClosed(1, f.size()).mapToObj(i -> "$" + i).collect(Collectors.joining(", "));
    this.insert = "INSERT INTO " + t + " (" + names + ") VALUES (" + values + ")";
    String set = f.stream().filter(c -> !kind.keyFields().contains(c)).map(c -> quote(c) + " = EXCLUDED." + quote(c))
        .collect(Collectors.joining(", "));
    this.upsertForced = insert + " ON CONFLICT (" + key + ") DO UPDATE SET " + set;
    this.upsertGuarded = kind.versionField() == null
        ? upsertForced
        : upsertForced + " WHERE " + t + "." + quote(kind.versionField()) + " <= EXCLUDED." + quote(kind.versionField());
    String keyIn = keyColumns.size() == 1
        ? key + " = ANY($1)"
        : "(" + key + ") IN (SELECT * FROM unnest(" + IntStream.range(0, keyColumns.size())
            .mapToObj(i -> "$" + (i + 1) + "::" + (kind.numericKeyPart(i) ? "bigint" : "text") + "[]")
            .collect(Collectors.joining(", ")) + "))";
    this.getAll = "SELECT " + columns + " FROM " + t + " WHERE " + keyIn;
    this.forUpdate = getAll + " FOR UPDATE";
    this.deleteAll = "DELETE FROM " + t + " WHERE " + keyIn;
    this.count = "SELECT count(*) FROM " + t;
  }

  /** The column of a field in SQL: quoted, or its default as a text literal when the table lacks it. */
  private String column(String field) {
    return absent.contains(field)
        ? "'" + kind.defaultValue(field).replace("'", "''") + "'::text"
        : quote(field);
  }

  /** The record's fields as bind values, in {@link Kind#fields()} order. */
  Tuple params(T record) {
    JsonObject j = kind.toJson(record);
    Tuple t = Tuple.tuple();
    kind.fields().forEach(f -> t.addValue(bind(f, j.getValue(f))));
    return t;
  }

  /** A canonical value as the column's type wants it. */
  private Object bind(String field, Object v) {
    if (v == null) {
      return null;
    }
    return switch (kind.type(field)) {
      case LONG -> Long.valueOf(v.toString());
      case BOOL -> v instanceof Boolean b ? b : Boolean.valueOf(v.toString());
      case DECIMAL -> new BigDecimal(v.toString());
      case INSTANT -> ts(Values.parseInstant(field, v.toString()));
      case JSON -> v instanceof JsonObject o ? o : new JsonObject(v.toString());
      case TEXT -> v.toString();
    };
  }

  T read(Row row) {
    JsonObject j = new JsonObject();
    for (String f : kind.fields()) {
      Object v = switch (kind.type(f)) {
        case DECIMAL -> row.getBigDecimal(f) == null ? null : row.getBigDecimal(f).toPlainString();
        case INSTANT -> Values.format(instant(row, f));
        case JSON -> row.getJsonObject(f);
        default -> row.getValue(f);
      };
      j.put(f, v);
    }
    return kind.fromJson(j);
  }

  /** WHERE and ORDER BY of a query, its bind values added to {@code args}. */
  String where(Query q, List<Object> args) {
    List<String> terms = new ArrayList<>();
    for (Query.Condition c : q.where()) {
      if (c instanceof Query.Eq e) {
        args.add(bind(e.field(), e.value()));
        terms.add(e.value() == null ? column(e.field()) + " IS NULL" : column(e.field()) + " = $" + args.size());
      } else if (c instanceof Query.Contains t) {
        args.add("%" + escapeLike(t.lowerText()) + "%");
        String p = "$" + args.size();
        terms.add("(" + t.fields().stream().map(f -> column(f) + " ILIKE " + p).collect(Collectors.joining(" OR ")) + ")");
      }
    }
    return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
  }

  String orderBy(Query q) {
    List<String> order = new ArrayList<>();
    q.orderBy().forEach(o -> order.add(column(o.field()) + (o.descending() ? " DESC" : "")));
    order.addAll(keyColumns);
    return " ORDER BY " + String.join(", ", order);
  }

  static String escapeLike(String s) {
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  static String quote(String column) {
    return "\"" + column + "\"";
  }

  /**
   * A scan in key order: keys starting with {@code prefix} (every part but the last given in full), after
   * {@code afterKey}. The prefix is a range on the key index (the key columns use the "C" collation, code point
   * order), so a page reads only its own rows.
   */
  Tuple scan(String prefix, String afterKey, int limit, StringBuilder sql) {
    List<Object> args = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (!prefix.isEmpty()) {
      List<String> parts = kind.keyParts(prefix);
      int last = parts.size() - 1;
      for (int i = 0; i < last; i++) {
        args.add(keyValue(i, parts.get(i)));
        where.add(keyColumns.get(i) + " = $" + args.size());
      }
      if (!parts.get(last).isEmpty()) {
        // a number part is matched by its digits, as the backends that scan in memory match a key's text
        String col = kind.numericKeyPart(last) ? keyColumns.get(last) + "::text" : keyColumns.get(last);
        args.add(parts.get(last));
        where.add(col + " >= $" + args.size());
        String end = successor(parts.get(last));
        if (end != null) {
          args.add(end);
          where.add(col + " < $" + args.size());
        }
      }
    }
    if (afterKey != null) {
      List<String> marks = new ArrayList<>();
      List<String> parts = kind.keyParts(afterKey);
      for (int i = 0; i < parts.size(); i++) {
        args.add(keyValue(i, parts.get(i)));
        marks.add("$" + args.size());
      }
      where.add("(" + String.join(", ", keyColumns) + ") > (" + String.join(", ", marks) + ")");
    }
    args.add(limit);
    sql.append("SELECT ").append(columns).append(" FROM ").append(kind.name())
        .append(where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        .append(" ORDER BY ").append(String.join(", ", keyColumns)).append(" LIMIT $").append(args.size());
    return Tuple.from(args);
  }

  /** One part of a key as its column's bind value: a number for a number column. */
  private Object keyValue(int index, String part) {
    return kind.numericKeyPart(index) ? (Object) Long.parseLong(part) : part;
  }

  /** The least text above every text that starts with {@code prefix}, in code point order; null when none. */
  static String successor(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      if (cps[i] < Character.MAX_CODE_POINT) {
        int next = cps[i] + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : cps[i] + 1;
        return new String(cps, 0, i) + Character.toString(next);
      }
    }
    return null;
  }

  /** The keys as bind values, one array per key column: bigint for a number column, text otherwise. */
  Tuple keyArrays(Collection<String> keys) {
    if (kind.numericKey()) {
      return Tuple.of(keys.stream().map(Long::parseLong).toArray(Long[]::new));
    }
    Tuple t = Tuple.tuple();
    for (int i = 0; i < keyColumns.size(); i++) {
      int part = i;
      t.addValue(kind.numericKeyPart(i)
          ? keys.stream().map(k -> Long.parseLong(kind.keyParts(k).get(part))).toArray(Long[]::new)
          : keys.stream().map(k -> kind.keyParts(k).get(part)).toArray(String[]::new));
    }
    return t;
  }

  static OffsetDateTime ts(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }

  static Instant instant(Row row, String column) {
    OffsetDateTime t = row.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
