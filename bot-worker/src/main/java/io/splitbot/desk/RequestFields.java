package io.splitbot.desk;

import io.splitbot.desk.DeskException.FieldError;
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
    return length(v, 1, COMMENT_MAX, "error.comment");
  }

  public static Optional<String> choice(Vocabulary vocabulary, Vocabulary.Field field, String raw) {
    return vocabulary.code(field, raw);
  }

  private static Checked length(String v, int min, int max, String reason) {
    int n = v.codePointCount(0, v.length());
    return n >= min && n <= max ? Checked.ok(v) : Checked.wrong(reason, "min", min, "max", max);
  }
}
