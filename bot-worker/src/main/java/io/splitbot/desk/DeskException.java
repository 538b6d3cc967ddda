package io.splitbot.desk;

import java.util.Map;

/**
 * A request the desk refuses, with what the user (or the API caller) should be told. {@code reason} is a message key
 * of the bundles; {@code args} fill its placeholders. The internal API maps {@link Kind} to its HTTP status.
 */
public final class DeskException extends RuntimeException {
  public enum Kind {
    /** 422: fields are missing or wrong; {@link #fieldErrors()} lists them. */
    VALIDATION,
    /** 404: no such request. */
    NOT_FOUND,
    /** 403: the user's role does not allow it. */
    FORBIDDEN,
    /** 409: the life cycle does not allow this status change. */
    ILLEGAL_TRANSITION,
    /** 409: the request changed meanwhile (a stale button). */
    STALE
  }

  private final Kind kind;
  private final String reason;
  private final Object[] args;
  private final Map<String, FieldError> fieldErrors;

  /** One wrong field: a message key with its placeholder values. */
  public record FieldError(String reason, Object... args) {
  }

  private DeskException(Kind kind, String reason, Map<String, FieldError> fieldErrors, Object... args) {
    super(kind + ": " + reason, null, false, false);
    this.kind = kind;
    this.reason = reason;
    this.args = args;
    this.fieldErrors = fieldErrors;
  }

  public static DeskException of(Kind kind, String reason, Object... args) {
    return new DeskException(kind, reason, Map.of(), args);
  }

  public static DeskException notFound(String number) {
    return of(Kind.NOT_FOUND, "request.not_found", "number", number);
  }

  public static DeskException invalid(Map<String, FieldError> errors) {
    Map<String, FieldError> ordered = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(errors));
    return new DeskException(Kind.VALIDATION, "error.validation", ordered, "fields", String.join(", ", ordered.keySet()));
  }

  public Kind kind() {
    return kind;
  }

  public String reason() {
    return reason;
  }

  public Object[] args() {
    return args;
  }

  public Map<String, FieldError> fieldErrors() {
    return fieldErrors;
  }
}
