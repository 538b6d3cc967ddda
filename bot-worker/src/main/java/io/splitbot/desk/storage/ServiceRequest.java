package io.splitbot.desk.storage;

import io.splitbot.worker.storage.model.Values;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A repair request of the desk bot. Enumerated fields hold codes only (localised names are the bot's business).
 * The number is {@code YYMMDD-NNN}, unique. The requester and the executor are users of a platform
 * ({@code requesterPlatform}, {@code executorPlatform}: "telegram", "max"); a record stored before there were
 * platforms is Telegram's. An unassigned request's executor platform is Telegram's too, and means nothing.
 */
public record ServiceRequest(
    String number,
    String requesterPlatform,
    long requesterId,
    String title,
    String description,
    String address,
    String apartment,
    String category,
    String priority,
    String phone,
    String contactName,
    boolean isEmergency,
    BigDecimal estimatedCost,
    Instant preferredTime,
    String status,
    String executorPlatform,
    Long executorId,
    Instant createdAt,
    Instant updatedAt) {

  public static final List<String> CATEGORIES = List.of("plumbing", "electrical", "heating", "cleaning", "other");
  public static final List<String> PRIORITIES = List.of("normal", "urgent", "emergency");
  public static final List<String> STATUSES = List.of("new", "in_progress", "done", "cancelled");
  public static final String STATUS_NEW = "new";
  public static final Pattern NUMBER = Pattern.compile("\\d{6}-\\d{3,}");

  public ServiceRequest {
    if (number == null || !NUMBER.matcher(number).matches()) {
      throw new IllegalArgumentException("number must look like YYMMDD-NNN, got '" + number + "'");
    }
    requesterPlatform = UserRef.platform(requesterPlatform);
    executorPlatform = UserRef.platform(executorPlatform);
    title = Values.required("title", title);
    description = Values.blankToNull(description);
    address = Values.blankToNull(address);
    apartment = Values.blankToNull(apartment);
    category = Values.oneOf("category", category, Set.copyOf(CATEGORIES));
    priority = Values.oneOf("priority", priority == null ? "normal" : priority, Set.copyOf(PRIORITIES));
    phone = Values.blankToNull(phone);
    contactName = Values.blankToNull(contactName);
    estimatedCost = Values.decimal(estimatedCost);
    preferredTime = Values.millis(preferredTime);
    status = Values.oneOf("status", status == null ? STATUS_NEW : status, Set.copyOf(STATUSES));
    Instant now = Values.now();
    createdAt = createdAt == null ? now : Values.millis(createdAt);
    updatedAt = updatedAt == null ? createdAt : Values.millis(updatedAt);
  }

  /** Fails unless {@code status} is one of {@link #STATUSES}. */
  public static String checkStatus(String status) {
    return Values.oneOf("status", status, java.util.Set.copyOf(STATUSES));
  }

  /** Who filed it. */
  public UserRef requester() {
    return new UserRef(requesterPlatform, requesterId);
  }

  /** Who is assigned to it, or null. */
  public UserRef executor() {
    return executorId == null ? null : new UserRef(executorPlatform, executorId);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.number = number;
    b.requesterPlatform = requesterPlatform;
    b.requesterId = requesterId;
    b.title = title;
    b.description = description;
    b.address = address;
    b.apartment = apartment;
    b.category = category;
    b.priority = priority;
    b.phone = phone;
    b.contactName = contactName;
    b.isEmergency = isEmergency;
    b.estimatedCost = estimatedCost;
    b.preferredTime = preferredTime;
    b.status = status;
    b.executorPlatform = executorPlatform;
    b.executorId = executorId;
    b.createdAt = createdAt;
    b.updatedAt = updatedAt;
    return b;
  }

  public ServiceRequest withStatus(String newStatus, Instant at) {
    return toBuilder().status(newStatus).updatedAt(at).build();
  }

  public ServiceRequest withExecutor(UserRef executor, Instant at) {
    return toBuilder().executor(executor).updatedAt(at).build();
  }

  /** Field-by-field builder; unset enumerations default to category other, priority normal, status new. */
  public static final class Builder {
    private String number;
    private String requesterPlatform = UserRef.TELEGRAM;
    private long requesterId;
    private String title;
    private String description;
    private String address;
    private String apartment;
    private String category = "other";
    private String priority = "normal";
    private String phone;
    private String contactName;
    private boolean isEmergency;
    private BigDecimal estimatedCost;
    private Instant preferredTime;
    private String status = STATUS_NEW;
    private String executorPlatform = UserRef.TELEGRAM;
    private Long executorId;
    private Instant createdAt;
    private Instant updatedAt;

    public Builder number(String v) { number = v; return this; }
    public Builder requesterPlatform(String v) { requesterPlatform = v; return this; }
    public Builder requesterId(long v) { requesterId = v; return this; }
    public Builder requester(UserRef v) { requesterPlatform = v.platform(); requesterId = v.id(); return this; }
    public Builder title(String v) { title = v; return this; }
    public Builder description(String v) { description = v; return this; }
    public Builder address(String v) { address = v; return this; }
    public Builder apartment(String v) { apartment = v; return this; }
    public Builder category(String v) { category = v; return this; }
    public Builder priority(String v) { priority = v; return this; }
    public Builder phone(String v) { phone = v; return this; }
    public Builder contactName(String v) { contactName = v; return this; }
    public Builder isEmergency(boolean v) { isEmergency = v; return this; }
    public Builder estimatedCost(BigDecimal v) { estimatedCost = v; return this; }
    public Builder preferredTime(Instant v) { preferredTime = v; return this; }
    public Builder status(String v) { status = v; return this; }
    public Builder executorPlatform(String v) { executorPlatform = v; return this; }
    public Builder executorId(Long v) { executorId = v; return this; }
    /** The executor, or none (null). */
    public Builder executor(UserRef v) {
      executorPlatform = v == null ? UserRef.TELEGRAM : v.platform();
      executorId = v == null ? null : v.id();
      return this;
    }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder updatedAt(Instant v) { updatedAt = v; return this; }

    public ServiceRequest build() {
      return new ServiceRequest(number, requesterPlatform, requesterId, title, description, address, apartment, category,
          priority, phone, contactName, isEmergency, estimatedCost, preferredTime, status, executorPlatform, executorId,
          createdAt, updatedAt);
    }
  }
}
