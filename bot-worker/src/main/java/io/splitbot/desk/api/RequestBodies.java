package io.splitbot.desk.api;

import io.splitbot.desk.DeskException;
import io.splitbot.desk.DeskException.FieldError;
import io.splitbot.desk.RequestDraft;
import io.splitbot.desk.RequestFields;
import io.splitbot.desk.Vocabulary;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the API's JSON bodies into checked values, collecting every wrong field before refusing (422 lists them
 * all). Accepts what the legacy bot sends: ids as strings or numbers, categories, priorities and statuses as codes
 * or as their Russian or English names, a local {@code preferred_time} (read in BOT_TIME_ZONE).
 */
public final class RequestBodies {
  /** The fields create and update accept, in the order errors are listed. */
  static final String[] EDITABLE = {"title", "description", "address", "apartment", "category", "priority", "phone",
      "contact_name", "is_emergency", "estimated_cost", "preferred_time"};
  static final BigDecimal MAX_COST = new BigDecimal("1000000000000");

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

  /** The status of a status body, as a code. */
  public String status(JsonObject body) {
    Map<String, FieldError> errors = new LinkedHashMap<>();
    String status = choice(body, "status", Vocabulary.Field.STATUS, true, errors);
    userId(body, "user_id", false, errors);
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    return status;
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
    Object text = body.getValue("text", body.getValue("comment"));
    Map<String, FieldError> errors = new LinkedHashMap<>();
    if (!(text instanceof String s) || !RequestFields.comment(s).ok()) {
      errors.put("text", new FieldError("error.comment", "max", RequestFields.COMMENT_MAX));
    }
    userId(body, "user_id", false, errors);
    if (!errors.isEmpty()) {
      throw DeskException.invalid(errors);
    }
    return ((String) text).strip();
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
      try {
        BigDecimal d = new BigDecimal(cost.toString().trim());
        if (d.signum() < 0 || d.compareTo(MAX_COST) > 0) {
          throw new NumberFormatException();
        }
        out.put("estimated_cost", d);
      } catch (NumberFormatException e) {
        errors.put("estimated_cost", new FieldError("error.estimated_cost"));
      }
    }
    Object time = body.getValue("preferred_time");
    if (time != null) {
      Instant t = instant(time.toString());
      if (t == null) {
        errors.put("preferred_time", new FieldError("error.preferred_time"));
      } else {
        out.put("preferred_time", t);
      }
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
    RequestFields.Checked c = RequestFields.text(field, v.toString());
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
    return vocabulary.code(kind, v.toString()).orElseGet(() -> {
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
    try {
      long id = v instanceof Number n && !(n instanceof Double || n instanceof Float) ? n.longValue() : Long.parseLong(v.toString().trim());
      if (id <= 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      errors.put(field, new FieldError("error.user_id"));
      return null;
    }
  }

  private Instant instant(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeException e) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeException e2) {
        try {
          return LocalDateTime.parse(s).atZone(zone).toInstant();
        } catch (DateTimeException e3) {
          return null;
        }
      }
    }
  }
}
