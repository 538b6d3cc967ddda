package io.splitbot.worker.storage.airtable;

import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Builds Airtable {@code filterByFormula} expressions. User text only ever enters a formula through {@link #str}:
 * backslash is escaped first, then the single quote, then the whole is wrapped in single quotes. Field names are
 * written as {@code {Name}}.
 */
public final class Formula {
  private Formula() {
  }

  /** A string literal: {@code O'Brien \ test} becomes {@code 'O\'Brien \\ test'}. */
  public static String str(String value) {
    String escaped = value.replace("\\", "\\\\").replace("'", "\\'");
    return "'" + escaped + "'";
  }

  /** A field reference. Braces cannot be escaped inside a field name, so they are refused. */
  public static String field(String name) {
    if (name.contains("{") || name.contains("}")) {
      throw new IllegalArgumentException("an Airtable field name cannot contain { or }: " + name);
    }
    return "{" + name + "}";
  }

  public static String eq(String fieldName, String value) {
    return field(fieldName) + "=" + str(value);
  }

  public static String eq(String fieldName, long value) {
    return field(fieldName) + "=" + value;
  }

  /** Key equality for a kind's key field: numeric keys compare as numbers. */
  public static String keyEq(String fieldName, boolean numeric, String key) {
    return numeric ? eq(fieldName, Long.parseLong(key)) : eq(fieldName, key);
  }

  /**
   * Key equality for any kind: every part of a composite key compared with its field, as a number for a number
   * field. A part equal to its field's default also matches an empty field (a record written before the field).
   */
  public static String keyEq(io.splitbot.worker.storage.model.Kind<?> kind, String key) {
    java.util.List<String> parts = kind.keyParts(key);
    java.util.List<String> terms = new java.util.ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String field = kind.keyFields().get(i);
      String eq = keyEq(field, kind.numericKeyPart(i), parts.get(i));
      terms.add(parts.get(i).equals(kind.defaultValue(field)) ? or(java.util.List.of(eq, eq(field, ""))) : eq);
    }
    return and(terms);
  }

  /** The text field starts with {@code prefix} (a non-empty one). */
  public static String startsWith(String fieldName, String prefix) {
    return "FIND(" + str(prefix) + "," + field(fieldName) + "&'')=1";
  }

  public static String or(Collection<String> terms) {
    return terms.size() == 1 ? terms.iterator().next() : "OR(" + String.join(",", terms) + ")";
  }

  public static String and(Collection<String> terms) {
    return terms.size() == 1 ? terms.iterator().next() : "AND(" + String.join(",", terms) + ")";
  }

  /** Case-insensitive "contains" of an already lower-cased text in any of the fields. */
  public static String containsAny(String lowerText, Collection<String> fieldNames) {
    String needle = str(lowerText);
    return or(fieldNames.stream().map(f -> "FIND(" + needle + ",LOWER(" + field(f) + "&''))>0").collect(Collectors.toList()));
  }
}
