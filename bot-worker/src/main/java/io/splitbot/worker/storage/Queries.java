package io.splitbot.worker.storage;

import io.splitbot.worker.storage.model.ServiceRequest;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** Query semantics shared by the backends that filter in memory, so every backend answers the same way. */
public final class Queries {
  private Queries() {
  }

  /** Newest first: created_at descending, then number descending. */
  public static final Comparator<ServiceRequest> NEWEST_FIRST = Comparator
      .comparing(ServiceRequest::createdAt, Comparator.reverseOrder())
      .thenComparing(ServiceRequest::number, Comparator.reverseOrder());

  public static String normaliseText(String text) {
    return text == null || text.isBlank() ? null : text.trim().toLowerCase(Locale.ROOT);
  }

  public static String normaliseStatus(String status) {
    return status == null || status.isBlank() ? null : status.trim();
  }

  /** Case-insensitive substring match over number, title, description, address and contact name. */
  public static boolean matches(ServiceRequest r, String lowerText, String status) {
    if (status != null && !status.equals(r.status())) {
      return false;
    }
    if (lowerText == null) {
      return true;
    }
    return Stream.of(r.number(), r.title(), r.description(), r.address(), r.contactName())
        .anyMatch(f -> f != null && f.toLowerCase(Locale.ROOT).contains(lowerText));
  }

  /** The next updated_at of a record: now, but never before the previous one. */
  public static Instant bump(Instant previous) {
    Instant now = io.splitbot.worker.storage.model.Values.now();
    return previous != null && now.isBefore(previous) ? previous : now;
  }

  /** The editable fields of {@code changes} applied onto {@code existing}. */
  public static ServiceRequest applyEdit(ServiceRequest existing, ServiceRequest changes) {
    return existing.toBuilder()
        .title(changes.title())
        .description(changes.description())
        .address(changes.address())
        .apartment(changes.apartment())
        .category(changes.category())
        .priority(changes.priority())
        .phone(changes.phone())
        .contactName(changes.contactName())
        .isEmergency(changes.isEmergency())
        .estimatedCost(changes.estimatedCost())
        .preferredTime(changes.preferredTime())
        .updatedAt(bump(existing.updatedAt()))
        .build();
  }
}
