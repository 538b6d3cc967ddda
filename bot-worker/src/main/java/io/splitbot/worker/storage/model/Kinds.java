package io.splitbot.worker.storage.model;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The record kinds of the storage layer, in the order a migration copies them. */
public final class Kinds {
  private Kinds() {
  }

  public static final Kind<UserProfile> USERS = new Kind<>("users", "user_id", true,
      List.of("user_id", "first_name", "last_name", "username", "language_code", "profile_source",
          "profile_last_updated", "created_at"),
      u -> Long.toString(u.userId()),
      u -> new JsonObject()
          .put("user_id", u.userId())
          .put("first_name", u.firstName())
          .put("last_name", u.lastName())
          .put("username", u.username())
          .put("language_code", u.languageCode())
          .put("profile_source", u.profileSource())
          .put("profile_last_updated", Values.format(u.profileLastUpdated()))
          .put("created_at", Values.format(u.createdAt())),
      j -> new UserProfile(
          Values.longValue(j, "user_id"),
          Values.text(j, "first_name"),
          Values.text(j, "last_name"),
          Values.text(j, "username"),
          Values.text(j, "language_code"),
          Values.text(j, "profile_source"),
          Values.requiredInstant(j, "profile_last_updated"),
          Values.requiredInstant(j, "created_at")),
      "profile_last_updated", u -> u.profileLastUpdated().toEpochMilli());

  public static final Kind<ServiceRequest> REQUESTS = new Kind<>("requests", "number", false,
      List.of("number", "requester_id", "title", "description", "address", "apartment", "category", "priority",
          "phone", "contact_name", "is_emergency", "estimated_cost", "preferred_time", "status", "executor_id",
          "created_at", "updated_at"),
      ServiceRequest::number,
      r -> new JsonObject()
          .put("number", r.number())
          .put("requester_id", r.requesterId())
          .put("title", r.title())
          .put("description", r.description())
          .put("address", r.address())
          .put("apartment", r.apartment())
          .put("category", r.category())
          .put("priority", r.priority())
          .put("phone", r.phone())
          .put("contact_name", r.contactName())
          .put("is_emergency", r.isEmergency())
          .put("estimated_cost", r.estimatedCost() == null ? null : r.estimatedCost().toPlainString())
          .put("preferred_time", Values.format(r.preferredTime()))
          .put("status", r.status())
          .put("executor_id", r.executorId())
          .put("created_at", Values.format(r.createdAt()))
          .put("updated_at", Values.format(r.updatedAt())),
      j -> new ServiceRequest(
          Values.text(j, "number"),
          Values.longValue(j, "requester_id"),
          Values.text(j, "title"),
          Values.text(j, "description"),
          Values.text(j, "address"),
          Values.text(j, "apartment"),
          Values.text(j, "category"),
          Values.text(j, "priority"),
          Values.text(j, "phone"),
          Values.text(j, "contact_name"),
          Values.bool(j, "is_emergency"),
          Values.decimalOrNull(j, "estimated_cost"),
          Values.instant(j, "preferred_time"),
          Values.text(j, "status"),
          Values.longOrNull(j, "executor_id"),
          Values.requiredInstant(j, "created_at"),
          Values.requiredInstant(j, "updated_at")),
      "updated_at", r -> r.updatedAt().toEpochMilli());

  public static final Kind<Comment> COMMENTS = new Kind<>("comments", "id", false,
      List.of("id", "request_number", "author_id", "text", "created_at"),
      Comment::id,
      c -> new JsonObject()
          .put("id", c.id())
          .put("request_number", c.requestNumber())
          .put("author_id", c.authorId())
          .put("text", c.text())
          .put("created_at", Values.format(c.createdAt())),
      j -> new Comment(
          Values.text(j, "id"),
          Values.text(j, "request_number"),
          Values.longValue(j, "author_id"),
          Values.text(j, "text"),
          Values.requiredInstant(j, "created_at")),
      null, c -> 0);

  public static final Kind<StatusChange> STATUS_HISTORY = new Kind<>("status_history", "id", false,
      List.of("id", "request_number", "from_status", "to_status", "changed_by", "changed_at"),
      StatusChange::id,
      s -> new JsonObject()
          .put("id", s.id())
          .put("request_number", s.requestNumber())
          .put("from_status", s.fromStatus())
          .put("to_status", s.toStatus())
          .put("changed_by", s.changedBy())
          .put("changed_at", Values.format(s.changedAt())),
      j -> new StatusChange(
          Values.text(j, "id"),
          Values.text(j, "request_number"),
          Values.text(j, "from_status"),
          Values.text(j, "to_status"),
          Values.longValue(j, "changed_by"),
          Values.requiredInstant(j, "changed_at")),
      null, s -> 0);

  public static final Kind<Assignment> ASSIGNMENTS = new Kind<>("assignments", "id", false,
      List.of("id", "request_number", "executor_id", "assigned_by", "assigned_at"),
      Assignment::id,
      a -> new JsonObject()
          .put("id", a.id())
          .put("request_number", a.requestNumber())
          .put("executor_id", a.executorId())
          .put("assigned_by", a.assignedBy())
          .put("assigned_at", Values.format(a.assignedAt())),
      j -> new Assignment(
          Values.text(j, "id"),
          Values.text(j, "request_number"),
          Values.longValue(j, "executor_id"),
          Values.longValue(j, "assigned_by"),
          Values.requiredInstant(j, "assigned_at")),
      null, a -> 0);

  public static final Kind<ConversationState> CONVERSATIONS = new Kind<>("conversations", "key", false,
      List.of("key", "step", "data", "updated_at"),
      ConversationState::key,
      c -> new JsonObject()
          .put("key", c.key())
          .put("step", c.step())
          .put("data", c.dataJson())
          .put("updated_at", Values.format(c.updatedAt())),
      j -> new ConversationState(
          Values.text(j, "key"),
          Values.text(j, "step"),
          j.getValue("data") instanceof JsonObject o ? o.encode() : j.getString("data"),
          Values.requiredInstant(j, "updated_at")),
      "updated_at", c -> c.updatedAt().toEpochMilli());

  public static final Kind<DayCounter> COUNTERS = new Kind<>("counters", "day", false,
      List.of("day", "value"),
      DayCounter::day,
      c -> new JsonObject().put("day", c.day()).put("value", c.value()),
      j -> new DayCounter(Values.text(j, "day"), Values.longValue(j, "value")),
      "value", DayCounter::value);

  public static final Kind<ProcessedUpdate> PROCESSED_UPDATES = new Kind<>("processed_updates", "update_id", true,
      List.of("update_id", "handled_at"),
      p -> Long.toString(p.updateId()),
      p -> new JsonObject().put("update_id", p.updateId()).put("handled_at", Values.format(p.handledAt())),
      j -> new ProcessedUpdate(Values.longValue(j, "update_id"), Values.requiredInstant(j, "handled_at")),
      null, p -> 0);

  /** The values of every named key-value store, keyed {@code store/key}. */
  public static final Kind<KeyValueEntry> KEY_VALUE = new Kind<>("kv", List.of("store", "key"), false,
      List.of("store", "key", "value", "updated_at"),
      e -> KeyValueEntry.recordKey(e.store(), e.key()),
      e -> new JsonObject()
          .put("store", e.store())
          .put("key", e.key())
          .put("value", e.value())
          .put("updated_at", Values.format(e.updatedAt())),
      j -> new KeyValueEntry(
          Values.text(j, "store"),
          j.getString("key"),
          j.getValue("value") instanceof String s ? new JsonObject(s) : j.getJsonObject("value"),
          Values.requiredInstant(j, "updated_at")),
      "updated_at", e -> e.updatedAt().toEpochMilli());

  /** Every kind, parents before children. */
  public static final List<Kind<?>> ALL = List.of(USERS, REQUESTS, COMMENTS, STATUS_HISTORY, ASSIGNMENTS,
      CONVERSATIONS, COUNTERS, PROCESSED_UPDATES, KEY_VALUE);

  public static Optional<Kind<?>> byName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    return ALL.stream().filter(k -> k.name().equals(n)).findFirst();
  }
}
