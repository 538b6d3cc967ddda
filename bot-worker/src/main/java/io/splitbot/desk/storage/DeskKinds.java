package io.splitbot.desk.storage;

import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kind.Type;
import io.splitbot.worker.storage.model.Kinds;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The desk's record kinds. A request, its comments, its status history and its assignments share the JSON store's
 * {@code requests.json}, so one operation on them is one file write, and the children are repaired and compared with
 * their request. Found by the runtime through {@code META-INF/services}.
 */
public final class DeskKinds implements Kinds.KindSet {
  private static final String REQUEST_GROUP = "requests";

  public static final Kind<ServiceRequest> REQUESTS = Kind.<ServiceRequest>named("requests").airtable("Requests")
      .text("number").field("requester_id", Type.LONG).text("title", "description", "address", "apartment", "category",
          "priority", "phone", "contact_name").field("is_emergency", Type.BOOL).field("estimated_cost", Type.DECIMAL)
      .field("preferred_time", Type.INSTANT).text("status").field("executor_id", Type.LONG)
      .field("created_at", Type.INSTANT).field("updated_at", Type.INSTANT).key("number")
      .version("updated_at", r -> r.updatedAt().toEpochMilli())
      .codec(r -> new JsonObject()
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
          Values.requiredInstant(j, "updated_at")));

  public static final Kind<Comment> COMMENTS = Kind.<Comment>named("comments").airtable("Comments")
      .group(REQUEST_GROUP).childOf(REQUESTS, "request_number")
      .text("id", "request_number").field("author_id", Type.LONG).text("text").field("created_at", Type.INSTANT)
      .key("id")
      .codec(c -> new JsonObject()
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
          Values.requiredInstant(j, "created_at")));

  public static final Kind<StatusChange> STATUS_HISTORY = Kind.<StatusChange>named("status_history")
      .airtable("StatusHistory").group(REQUEST_GROUP).childOf(REQUESTS, "request_number")
      .text("id", "request_number", "from_status", "to_status").field("changed_by", Type.LONG)
      .field("changed_at", Type.INSTANT).key("id")
      .codec(s -> new JsonObject()
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
          Values.requiredInstant(j, "changed_at")));

  public static final Kind<Assignment> ASSIGNMENTS = Kind.<Assignment>named("assignments").airtable("Assignments")
      .group(REQUEST_GROUP).childOf(REQUESTS, "request_number")
      .text("id", "request_number").field("executor_id", Type.LONG).field("assigned_by", Type.LONG)
      .field("assigned_at", Type.INSTANT).key("id")
      .codec(a -> new JsonObject()
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
          Values.requiredInstant(j, "assigned_at")));

  public static final Kind<DayCounter> COUNTERS = Kind.<DayCounter>named("counters").airtable("Counters")
      .text("day").field("value", Type.LONG).key("day").version("value", DayCounter::value).growsOnly()
      .codec(c -> new JsonObject().put("day", c.day()).put("value", c.value()),
          j -> new DayCounter(Values.text(j, "day"), Values.longValue(j, "value")));

  @Override
  public List<Kind<?>> kinds() {
    return List.of(REQUESTS, COMMENTS, STATUS_HISTORY, ASSIGNMENTS, COUNTERS);
  }
}
