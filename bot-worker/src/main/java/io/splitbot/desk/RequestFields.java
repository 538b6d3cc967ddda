package io.splitbot.desk;

import io.splitbot.desk.DeskException.FieldError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules for each field of a request, shared by the /new conversation (which re-asks with the reason) and the
 * internal API (which answers 422 listing the fields). Each check returns the cleaned value or the reason.
 */
public final class RequestFields {
  /** The order the /new conversation asks in. */
  public static final List<String> CONVERSATION_ORDER = List.of(
      "title", "description", "address", "apartment", "category", "priority", "phone", "contact_name");

  public static final int TITLE_MIN = 3;
  public static final int TITLE_MAX = 100;
  public static final int DESCRIPTION_MIN = 5;
  public static final int DESCRIPTION_MAX = 2000;
  public static final int ADDRESS_MIN = 5;
  public static final int ADDRESS_MAX = 200;
  public static final int APARTMENT_MAX = 10;
  public static final int NAME_MIN = 2;
  public static final int NAME_MAX = 100;
  public static final int COMMENT_MAX = 3000;
  public static final int PHONE_DIGITS_MIN = 10;
  public static final int PHONE_DIGITS_MAX = 15;
  /** A cost: 0 to 1,000,000,000 with at most 2 decimals, written as a plain decimal (no exponent). */
  public static final BigDecimal COST_MAX = new BigDecimal("1000000000");
  public static final int COST_SCALE = 2;
  /** A user id: 1 to 2^53-1, exact in a JSON number (Telegram's ids have at most 52 significant bits; MAX's fit too). */
  public static final long ID_MAX = (1L << 53) - 1;
  /** Dates are ISO 8601 with a year from 1 to 9999. */
  public static final int YEAR_MIN = 1;
  public static final int YEAR_MAX = 9999;

  private static final Pattern PLAIN_DECIMAL = Pattern.compile("\\d{1,10}(\\.\\d{1,2})?");
  private static final Pattern PLAIN_ID = Pattern.compile("\\d{1,16}");

  private static final Pattern APARTMENT = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}/ -]*");
  private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().-]");
  private static final Pattern PHONE = Pattern.compile("\\+?\\d+");

  private RequestFields() {
  }

  /** The value, or the reason it is wrong. */
  public record Checked(String value, FieldError error) {
    static Checked ok(String value) {
      return new Checked(value, null);
    }

    static Checked wrong(String reason, Object... args) {
      return new Checked(null, new FieldError(reason, args));
    }

    public boolean ok() {
      return error == null;
    }
  }

  /** Checks one of the text fields of {@link #CONVERSATION_ORDER} except category and priority. */
  public static Checked text(String field, String raw) {
    String v = raw == null ? "" : raw.strip();
    Checked chars = characters(v, field.equals("description"));
    if (!chars.ok()) {
      return chars;
    }
    return switch (field) {
      case "title" -> length(v, TITLE_MIN, TITLE_MAX, "error.title");
      case "description" -> length(v, DESCRIPTION_MIN, DESCRIPTION_MAX, "error.description");
      case "address" -> length(v, ADDRESS_MIN, ADDRESS_MAX, "error.address");
      case "apartment" -> v.length() <= APARTMENT_MAX && APARTMENT.matcher(v).matches()
          ? Checked.ok(v)
          : Checked.wrong("error.apartment", "max", APARTMENT_MAX);
      case "contact_name" -> length(v, NAME_MIN, NAME_MAX, "error.contact_name");
      case "phone" -> phone(v);
      default -> throw new IllegalArgumentException("not a text field: " + field);
    };
  }

  /** A typed phone number: separators dropped, 10 to 15 digits with an optional leading +. */
  public static Checked phone(String raw) {
    String v = PHONE_SEPARATORS.matcher(raw == null ? "" : raw.strip()).replaceAll("");
    int digits = v.startsWith("+") ? v.length() - 1 : v.length();
    if (!PHONE.matcher(v).matches() || digits < PHONE_DIGITS_MIN || digits > PHONE_DIGITS_MAX) {
      return Checked.wrong("error.phone", "min", PHONE_DIGITS_MIN, "max", PHONE_DIGITS_MAX);
    }
    return Checked.ok(v);
  }

  /** A number from Telegram's "share contact": always international, sometimes without the +. */
  public static Checked sharedPhone(String raw) {
    Checked c = phone(raw);
    return c.ok() && !c.value().startsWith("+") ? Checked.ok("+" + c.value()) : c;
  }

  public static Checked comment(String raw) {
    String v = raw == null ? "" : raw.strip();
    Checked chars = characters(v, true);
    return chars.ok() ? length(v, 1, COMMENT_MAX, "error.comment") : chars;
  }

  /**
   * No control characters in a single-line value; a multi-line one keeps newlines and tabs. NUL and lone surrogates
   * are refused everywhere: PostgreSQL cannot store the first, and no platform can show the second.
   */
  public static Checked characters(String v, boolean multiLine) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
          i++;
          continue;
        }
        return Checked.wrong("error.characters");
      }
      boolean allowed = multiLine && (c == '\n' || c == '\r' || c == '\t');
      if (Character.isISOControl(c) && !allowed) {
        return Checked.wrong(multiLine ? "error.characters" : "error.single_line");
      }
    }
    return Checked.ok(v);
  }

  /** A cost given as text: a plain decimal from 0 to {@link #COST_MAX} with at most {@link #COST_SCALE} decimals. */
  public static Optional<BigDecimal> cost(String raw) {
    String v = raw == null ? "" : raw.strip();
    return PLAIN_DECIMAL.matcher(v).matches() ? cost(new BigDecimal(v)) : Optional.empty();
  }

  /** A cost within range and scale (trailing zeros do not count: 10.500 is 10.50). */
  public static Optional<BigDecimal> cost(BigDecimal d) {
    BigDecimal v = d.scale() > COST_SCALE ? d.stripTrailingZeros() : d;
    if (v.scale() > COST_SCALE || v.signum() < 0 || v.compareTo(COST_MAX) > 0) {
      return Optional.empty();
    }
    return Optional.of(v.scale() < 0 ? v.setScale(0) : v);
  }

  /** A user id given as text: digits only, 1 to {@link #ID_MAX}. */
  public static Optional<Long> id(String raw) {
    String v = raw == null ? "" : raw.strip();
    return PLAIN_ID.matcher(v).matches() ? id(new BigInteger(v)) : Optional.empty();
  }

  /** A user id given as a whole number: exact, 1 to {@link #ID_MAX}, never wrapped. */
  public static Optional<Long> id(BigInteger n) {
    return n.signum() > 0 && n.compareTo(BigInteger.valueOf(ID_MAX)) <= 0 ? Optional.of(n.longValue()) : Optional.empty();
  }

  /**
   * An ISO 8601 date and time (with Z, an offset, or none: then read in {@code zone}), year {@link #YEAR_MIN} to
   * {@link #YEAR_MAX}. ISO parsers read the proleptic year, so year 0 or -5 is refused, not shifted.
   */
  public static Optional<Instant> dateTime(String raw, ZoneId zone) {
    String v = raw == null ? "" : raw.strip();
    if (v.isEmpty() || v.length() > 40) {
      return Optional.empty();
    }
    TemporalAccessor parsed;
    try {
      parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(v, ZonedDateTime::from, LocalDateTime::from);
    } catch (DateTimeException e) {
      return Optional.empty();
    }
    ZonedDateTime at = parsed instanceof ZonedDateTime z ? z : ((LocalDateTime) parsed).atZone(zone);
    // both as written and in UTC (how it is stored): 9999-12-31T23:00-05:00 is in year 10000 in UTC
    int year = at.getYear();
    int utcYear = at.withZoneSameInstant(ZoneOffset.UTC).getYear();
    if (Math.min(year, utcYear) < YEAR_MIN || Math.max(year, utcYear) > YEAR_MAX) {
      return Optional.empty();
    }
    return Optional.of(at.toInstant().truncatedTo(ChronoUnit.MILLIS));
  }

  public static Optional<String> choice(Vocabulary vocabulary, Vocabulary.Field field, String raw) {
    return vocabulary.code(field, raw);
  }

  private static Checked length(String v, int min, int max, String reason) {
    int n = v.codePointCount(0, v.length());
    return n >= min && n <= max ? Checked.ok(v) : Checked.wrong(reason, "min", min, "max", max);
  }
}
