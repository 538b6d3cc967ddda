package io.splitbot.desk.storage;

import io.splitbot.worker.storage.model.Kind;
import io.splitbot.worker.storage.model.Kinds;
import java.util.List;

/**
 * The desk's record kinds. A request, its comments, its status history and its assignments share the JSON store's
 * {@code requests.json}, so one operation on them is one file write, and the children are repaired and compared with
 * their request. Found by the runtime through {@code META-INF/services}.
 */
public final class DeskKinds implements Kinds.KindSet {
  private static final String REQUEST_GROUP = "requests";

  /** A request stored before there were platforms has a Telegram requester (and executor). */
  public static final Kind<ServiceRequest> REQUESTS = Kind.of(ServiceRequest.class, "requests").airtable("Requests")
      .key("number").optional("preferred_time").version("updated_at")
      .defaultValue("requester_platform", UserRef.TELEGRAM).defaultValue("executor_platform", UserRef.TELEGRAM).build();

  /** A comment stored before there were platforms is a Telegram user's. */
  public static final Kind<Comment> COMMENTS = Kind.of(Comment.class, "comments").airtable("Comments")
      .group(REQUEST_GROUP).childOf(REQUESTS, "request_number").key("id")
      .defaultValue("author_platform", UserRef.TELEGRAM).build();

  public static final Kind<StatusChange> STATUS_HISTORY = Kind.of(StatusChange.class, "status_history")
      .airtable("StatusHistory").group(REQUEST_GROUP).childOf(REQUESTS, "request_number").key("id").build();

  public static final Kind<Assignment> ASSIGNMENTS = Kind.of(Assignment.class, "assignments").airtable("Assignments")
      .group(REQUEST_GROUP).childOf(REQUESTS, "request_number").key("id").build();

  public static final Kind<DayCounter> COUNTERS = Kind.of(DayCounter.class, "counters").airtable("Counters")
      .key("day").version("value").growsOnly().build();

  @Override
  public List<Kind<?>> kinds() {
    return List.of(REQUESTS, COMMENTS, STATUS_HISTORY, ASSIGNMENTS, COUNTERS);
  }
}
