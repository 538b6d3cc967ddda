package io.splitbot.desk.api;

import io.splitbot.desk.DeskException;
import io.splitbot.desk.DeskException.FieldError;
import io.splitbot.desk.RequestDraft;
import io.splitbot.desk.RequestFields;
import io.splitbot.desk.Vocabulary;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the API's JSON bodies into checked values, collecting every wrong field before refusing (422 lists them
 * all). Accepts what the legacy bot sends: ids as strings or numbers, categories, priorities and statuses as codes
 * or as their Russian or English names, a local {@code preferred_time} (read in BOT_TIME_ZONE).
 */
public final class RequestBodies {
  /** The fields create and update accept, in the order errors are listed. */
  static final String[] EDITABLE = {"title", "description", "address", "apartment", "category", "priority", "phone",
      "contact_name", "is_emergency", "estimated_cost", "preferred_time"};
  /** Longer than any category, priority or status name. */
  static final int CHOICE_MAX = 64;

  private final Vocabulary vocabulary;
  private final ZoneId zone;

  public RequestBodies(Vocabulary vocabulary, ZoneId zone) {
    this.vocabulary = vocabulary;
    this.zone = zone;
  }

  /** A create body: user_id, title, description, address and category are required. */
  public record Create(long userId, RequestDraft draft) {
  }

  public Create create(JsonObject body) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    Long userId = userId(body, "user_id", true, errors);
    Map<String, Object> v = editable(body, errors, true);
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    String priority = (String) v.getOrDefault("priority", "normal");
    Boolean emergency = (Boolean) v.get("is_emergency");
    RequestDraft draft = new RequestDraft((String) v.get("title"), (String) v.get("description"),
        (String) v.get("address"), (String) v.get("apartment"), (String) v.get("category"), priority,
        (String) v.get("phone"), (String) v.get("contact_name"),
        emergency != null ? emergency : "emergency".equals(priority),
        (BigDecimal) v.get("estimated_cost"), (Instant) v.get("preferred_time"));
    return new Create(userId, draft);
  }

  /** An update body: any of the editable fields, at least one. */
  public Map<String, Object> update(JsonObject body) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    Map<String, Object> changes = editable(body, errors, false);
    if (errors.isEmpty() && changes.isEmpty()) {
      errors.put("body", new FieldError("error.nothing_to_update"));
    }
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    return changes;
  }

  /**
   * A status body: the status as {@code new_status} (the request service's name) or {@code status}, a code or a
   * name in either language; the optional {@code comment} goes with the change.
   */
  public record StatusBody(String code, String asWritten, String comment) {
  }

  public StatusBody status(JsonObject body) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    String field = body.getValue("new_status") != null || !body.containsKey("status") ? "new_status" : "status";
    String status = choice(body, field, Vocabulary.Field.STATUS, true, errors);
    String comment = null;
    Object raw = body.getValue("comment");
    if (raw != null && !(raw instanceof String s && s.isBlank())) {
      comment = commentText(raw, "comment", errors);
    }
    userId(body, "user_id", false, errors);
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    return new StatusBody(status, body.getString(field).strip(), comment);
  }

  /** Who acts (the body's optional user_id), 0 for the service desk itself. */
  public long actor(JsonObject body) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    Long id = userId(body, "user_id", false, errors);
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    return id == null ? 0 : id;
  }

  public long executor(JsonObject body) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    Long id = userId(body, "executor_id", true, errors);
    userId(body, "user_id", false, errors);
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    return id;
  }

  /** The comment text ({@code text}, or {@code comment} as older callers name it). */
  public String commentText(JsonObject body) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    String field = body.containsKey("text") || !body.containsKey("comment") ? "text" : "comment";
    String text = commentText(body.getValue(field), field, errors);
    userId(body, "user_id", false, errors);
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    return text;
  }

  private static String commentText(Object raw, String field, Map<String, FieldError> errors) {
    if (raw != null && !(raw instanceof String)) {
      errors.put(field, new FieldError("error.string"));
      return null;
    }
    RequestFields.Checked c = RequestFields.comment((String) raw);
    if (!c.ok()) {
      errors.put(field, c.error());
      return null;
    }
    return c.value();
  }

  private Map<String, Object> editable(JsonObject body, Map<String, FieldError> errors, boolean creating) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String field : new String[] {"title", "description", "address"}) {
      text(body, field, creating, errors).ifPresent(v -> out.put(field, v));
    }
    for (String field : new String[] {"apartment", "phone", "contact_name"}) {
      text(body, field, false, errors).ifPresent(v -> out.put(field, v));
    }
    String category = choice(body, "category", Vocabulary.Field.CATEGORY, creating, errors);
    if (category != null) {
      out.put("category", category);
    }
    String priority = choice(body, "priority", Vocabulary.Field.PRIORITY, false, errors);
    if (priority != null) {
      out.put("priority", priority);
    }
    Object emergency = body.getValue("is_emergency");
    if (emergency != null) {
      if (emergency instanceof Boolean b) {
        out.put("is_emergency", b);
      } else if ("true".equalsIgnoreCase(emergency.toString()) || "false".equalsIgnoreCase(emergency.toString())) {
        out.put("is_emergency", Boolean.parseBoolean(emergency.toString()));
      } else {
        errors.put("is_emergency", new FieldError("error.boolean"));
      }
    }
    Object cost = body.getValue("estimated_cost");
    if (cost != null) {
      cost(cost).ifPresentOrElse(d -> out.put("estimated_cost", d),
          () -> errors.put("estimated_cost", new FieldError("error.estimated_cost")));
    }
    Object time = body.getValue("preferred_time");
    if (time != null) {
      Optional<Instant> t = time instanceof String s ? RequestFields.dateTime(s, zone) : Optional.empty();
      t.ifPresentOrElse(v -> out.put("preferred_time", v), () -> errors.put("preferred_time", new FieldError("error.preferred_time")));
    }
    return out;
  }

  private java.util.Optional<String> text(JsonObject body, String field, boolean required, Map<String, FieldError> errors) {
    Object v = body.getValue(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (required) {
        errors.put(field, new FieldError("error.required"));
      }
      return java.util.Optional.empty();
    }
    if (!(v instanceof String s)) {
      errors.put(field, new FieldError("error.string"));
      return java.util.Optional.empty();
    }
    RequestFields.Checked c = RequestFields.text(field, s);
    if (!c.ok()) {
      errors.put(field, c.error());
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(c.value());
  }

  private String choice(JsonObject body, String field, Vocabulary.Field kind, boolean required, Map<String, FieldError> errors) {
    Object v = body.getValue(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (required) {
        errors.put(field, new FieldError("error.required"));
      }
      return null;
    }
    if (!(v instanceof String s) || !RequestFields.characters(s, false).ok() || s.length() > CHOICE_MAX) {
      errors.put(field, new FieldError(v instanceof String ? "error.one_of" : "error.string", "values", String.join(", ", kind.codes())));
      return null;
    }
    return vocabulary.code(kind, s).orElseGet(() -> {
      errors.put(field, new FieldError("error.one_of", "values", String.join(", ", kind.codes())));
      return null;
    });
  }

  private static Long userId(JsonObject body, String field, boolean required, Map<String, FieldError> errors) {
    Object v = body.getValue(field);
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (required) {
        errors.put(field, new FieldError("error.required"));
      }
      return null;
    }
    Optional<Long> id = v instanceof String s ? RequestFields.id(s)
        : v instanceof Integer || v instanceof Long || v instanceof BigInteger ? RequestFields.id(new BigInteger(v.toString()))
        : Optional.empty();
    if (id.isEmpty()) {
      errors.put(field, new FieldError("error.user_id"));
      return null;
    }
    return id.get();
  }

  /**
   * A JSON number or a numeric string within {@link RequestFields#cost}. A JSON fraction arrives as a double and is
   * read by its shortest decimal form (0.1 is 0.1); a string is read exactly and must be a plain decimal.
   */
  private static Optional<BigDecimal> cost(Object v) {
    if (v instanceof String s) {
      return RequestFields.cost(s);
    }
    if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
      return RequestFields.cost(new BigDecimal(v.toString()));
    }
    if (v instanceof BigDecimal d) {
      return RequestFields.cost(d);
    }
    if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
      return RequestFields.cost(BigDecimal.valueOf(((Number) v).doubleValue()));
    }
    return Optional.empty();
  }
}
