package io.splitbot.desk.api;

import io.splitbot.desk.i18n.Texts;
import io.splitbot.desk.storage.ServiceRequest;
import io.splitbot.worker.storage.model.Values;
import io.vertx.core.json.JsonObject;

/**
 * A request as the API shows it: the stored codes, plus their names in the caller's language. Ids are strings, as
 * the legacy bot sends them, each with its platform; instants are ISO 8601 UTC.
 */
final class ApiJson {
  private ApiJson() {
  }

  static JsonObject request(ServiceRequest r, Texts t) {
    return new JsonObject()
        .put("request_number", r.number())
        .put("user_id", String.valueOf(r.requesterId()))
        .put("requester_platform", r.requesterPlatform())
        .put("title", r.title())
        .put("description", r.description())
        .put("address", r.address())
        .put("apartment", r.apartment())
        .put("category", r.category())
        .put("category_name", t.category(r.category()))
        .put("priority", r.priority())
        .put("priority_name", t.priority(r.priority()))
        .put("phone", r.phone())
        .put("contact_name", r.contactName())
        .put("is_emergency", r.isEmergency())
        .put("estimated_cost", r.estimatedCost())
        .put("preferred_time", Values.format(r.preferredTime()))
        .put("status", r.status())
        .put("status_name", t.status(r.status()))
        .put("executor_id", r.executorId() == null ? null : String.valueOf(r.executorId()))
        .put("executor_platform", r.executorId() == null ? null : r.executorPlatform())
        .put("created_at", Values.format(r.createdAt()))
        .put("updated_at", Values.format(r.updatedAt()));
  }
}
