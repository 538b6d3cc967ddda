package io.splitbot.worker.storage.model;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The canonical forms every backend stores and compares: instants in UTC with milliseconds (the finest precision
 * all backends keep), decimals without trailing zeros, blank optional text as null (Airtable cannot store "").
 */
public final class Values {
  /** The last (millisecond << 12 | counter) handed out by {@link #orderedId}. */
  private static final AtomicLong LAST_ID_STAMP = new AtomicLong();

  /** {@code uuuu}, the proleptic year: {@code yyyy} (year of era) would write year 0 as 0001. */
  private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private Values() {
  }

  public static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * A new record id in UUID version 7 form: the millisecond first, then a counter, so ids made in one process sort in
   * the order they were made. Lists ordered by time break ties on the id, and so keep the order of writing.
   */
  public static String orderedId() {
    long now = System.currentTimeMillis();
    long stamp = LAST_ID_STAMP.updateAndGet(last -> Math.max(last + 1, now << 12));
    long high = (stamp >>> 12) << 16 | 0x7000L | (stamp & 0xFFF);
    long low = ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
    return new UUID(high, low).toString();
  }

  /** The next updated_at of a record: now, but never before the previous one. */
  public static Instant bump(Instant previous) {
    Instant now = now();
    return previous != null && now.isBefore(previous) ? previous : now;
  }

  public static Instant millis(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS);
  }

  /** Fixed width, so that text order is time order: 2025-09-27T10:00:00.000Z. */
  public static String format(Instant t) {
    return t == null ? null : INSTANT.format(t);
  }

  /** Accepts an ISO instant, an offset date-time, or a local date-time (read as UTC). */
  public static Instant parseInstant(String field, String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return millis(Instant.parse(s));
    } catch (DateTimeParseException e) {
      try {
        return millis(OffsetDateTime.parse(s).toInstant());
      } catch (DateTimeParseException e2) {
        try {
          return millis(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e3) {
          throw new IllegalArgumentException(field + " is not a date-time: '" + s + "'");
        }
      }
    }
  }

  public static BigDecimal decimal(BigDecimal d) {
    if (d == null) {
      return null;
    }
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  public static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  public static String required(String field, String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return s;
  }

  public static String oneOf(String field, String value, Set<String> allowed) {
    if (value == null || !allowed.contains(value)) {
      throw new IllegalArgumentException(field + " must be one of " + allowed.stream().sorted().toList() + ", got '" + value + "'");
    }
    return value;
  }

  // ---- tolerant readers for records coming back from a backend (numbers may arrive as text and vice versa) ----

  public static String text(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) {
      return null;
    }
    return blankToNull(v instanceof String s ? s : String.valueOf(v));
  }

  public static Long longOrNull(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    if (v instanceof Number n) {
      if (n instanceof Double || n instanceof Float || n instanceof BigDecimal) {
        BigDecimal b = new BigDecimal(n.toString());
        try {
          return b.longValueExact();
        } catch (ArithmeticException e) {
          throw new IllegalArgumentException(field + " must be a whole number, got " + n);
        }
      }
      return n.longValue();
    }
    try {
      return Long.parseLong(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " must be a whole number, got '" + v + "'");
    }
  }

  public static long longValue(JsonObject j, String field) {
    Long v = longOrNull(j, field);
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  public static BigDecimal decimalOrNull(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    try {
      return decimal(new BigDecimal(v.toString().trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " must be a number, got '" + v + "'");
    }
  }

  public static boolean bool(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v == null) {
      return false; // Airtable leaves an unchecked checkbox out
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString().trim().toLowerCase();
    if (s.equals("true") || s.equals("1")) {
      return true;
    }
    if (s.equals("false") || s.equals("0") || s.isEmpty()) {
      return false;
    }
    throw new IllegalArgumentException(field + " must be true or false, got '" + v + "'");
  }

  public static Instant instant(JsonObject j, String field) {
    Object v = j.getValue(field);
    return v == null ? null : parseInstant(field, v.toString());
  }

  public static Instant requiredInstant(JsonObject j, String field) {
    Instant t = instant(j, field);
    if (t == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return t;
  }
}
